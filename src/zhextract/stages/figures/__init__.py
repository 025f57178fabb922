"""Figures stage (placeholder until the real one lands)."""

from ...doc import Doc
from ...registry import Stage, register_stage


@register_stage("figures", requires=("text",), provides=("figures", "dates"))
def make_figures_stage() -> Stage:
    def figures(doc: Doc) -> None:
        return None

    return figures
