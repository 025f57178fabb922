"""Structure stage (placeholder)."""

from ..doc import Doc
from ..registry import Stage, register_stage


@register_stage("structure", requires=("text", "paragraphs"), provides=("meta", "sections"))
def make_structure_stage() -> Stage:
    def structure(doc: Doc) -> None:
        return None

    return structure
