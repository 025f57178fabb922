"""Stage registry: stages register a factory by name and declare what they need and give.

In the spirit of spaCy's `Language.factory` and Stanza's processors: a pipeline config
names factories, and the registry checks that every stage's `requires` is provided by
an earlier stage before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .doc import Doc

Stage = Callable[[Doc], None]
StageFactory = Callable[..., Stage]


@dataclass(frozen=True)
class StageInfo:
    name: str
    factory: StageFactory
    requires: tuple[str, ...]
    provides: tuple[str, ...]


_STAGES: dict[str, StageInfo] = {}


def register_stage(
    name: str, *, requires: tuple[str, ...] = (), provides: tuple[str, ...] = ()
) -> Callable[[StageFactory], StageFactory]:
    """Register a stage factory under `name` (used as `factory = "name"` in configs)."""

    def decorate(factory: StageFactory) -> StageFactory:
        _STAGES[name] = StageInfo(name, factory, tuple(requires), tuple(provides))
        return factory

    return decorate


def get_stage(name: str) -> StageInfo:
    _ensure_builtin_stages()
    try:
        return _STAGES[name]
    except KeyError:
        known = ", ".join(sorted(_STAGES))
        raise ValueError(f"unknown stage factory {name!r}; known: {known}") from None


def registered_stages() -> list[str]:
    _ensure_builtin_stages()
    return sorted(_STAGES)


def build_stage(name: str, settings: dict[str, Any]) -> Stage:
    return get_stage(name).factory(**settings)


def _ensure_builtin_stages() -> None:
    # Importing the stage modules runs their @register_stage decorators.
    from . import stages  # noqa: F401
