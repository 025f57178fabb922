"""Entities stage (placeholder until the real one lands)."""

from ...doc import Doc
from ...registry import Stage, register_stage


@register_stage("entities", requires=("text",), provides=("entities",))
def make_entities_stage() -> Stage:
    def entities(doc: Doc) -> None:
        return None

    return entities
