"""Pipeline stages, in pipeline order. Importing this package registers every stage."""

from . import entities, figures, normalize, segment, structure

__all__ = ["entities", "figures", "normalize", "segment", "structure"]
