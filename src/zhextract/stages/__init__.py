"""Pipeline stages, in pipeline order. Importing this package registers every stage."""

from . import entities, facts, figures, normalize, retokenize, segment, structure

__all__ = ["entities", "facts", "figures", "normalize", "retokenize", "segment", "structure"]
