"""Pipeline stages, in pipeline order. Importing this package registers every stage."""

from . import entities, figures, normalize, retokenize, segment, structure

__all__ = ["entities", "figures", "normalize", "retokenize", "segment", "structure"]
