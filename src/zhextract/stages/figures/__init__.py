"""Figures stage: numeric expressions and dates with exact values.

Fills `doc.figures` and `doc.dates`. Dates are found first, outside entities (a reign-era
year such as `康熙三年` wins over the name the entities took it for). Figures are
then found outside dates and arbitrated against `doc.entities` (filled by the earlier
entities stage) so that the two never overlap: an entity that contains a figure wins
(`二次大戰`), and otherwise the figure wins and the overlapping entities are dropped (a
place inside a currency name, `100瑞士法郎`, or a numeral taken for a name).

Figure fields:
- `text, start, end`: the expression, e.g. `近25年`, `2至4艘`, `新臺幣5,000億元`.
- `label`: MONEY, PERCENT, QUANTITY (with a measure unit or classifier), CARDINAL, ORDINAL,
  or DATE for a duration (`4年`, with `kind: "duration"`).
- `value`: an exact Decimal, or [low, high] for a range (`2至4艘`, `幾十`). PERCENT values
  are ratios (5% -> 0.05, 三成 -> 0.3, 八折 -> 0.8, 3倍 -> 3), percentage points too
  (`3個百分點` -> 0.03, unit "percentage_point").
- `unit`: ISO 4217 code for MONEY; %, ‰, 成, 折, 倍 or percentage_point for PERCENT; the
  measure unit or classifier otherwise; None when there is none.
- `counted`: the noun counted (`100萬就業機會` -> 就業機會), None if none.
- `approx`: "near", "over", "under", "about" or None.
- `per` (optional): the rate's denominator, `每桶70美元` -> 桶, `每人每月` -> 人/月.
- `kind` (optional): "duration" for DATE figures; "currency_name" for a currency named
  with no amount (`人民幣兌美元`: two MONEY figures, value None, unit CNY and USD).

Date fields: `text, start, end, value` (ISO: YYYY, YYYY-MM, YYYY-MM-DD, or with THH:MM;
a week YYYY-Www, a quarter YYYY-Qn, a half YYYY-Hn), or value None with `reason`. A period
shorter than its value says (a week, 上旬, a quarter) has `range`: [first day, last day].
Relative dates resolve against `doc.doc_date`, else the publication date in
`doc.meta["published"]`, else a date the text states after a label such as 發布日期：, else
the latest full date the text states before them; `basis` says which ("doc_date", "stated",
"text").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...doc import Doc, Span, covered, span_owners
from ...registry import Stage, register_stage
from .dates import find_dates
from .extract import FigureSettings, find_figures

__all__ = ["arbitrate", "find_dates", "find_figures", "make_figures_stage"]


@register_stage("figures", requires=("text",), provides=("figures", "dates"))
def make_figures_stage(
    yuan_currency: str = "auto",
    dollar_currency: str = "USD",
    keep_bare_cardinals: bool = True,
    currency_names: bool = True,
) -> Stage:
    """Settings: the currency of a bare 元 ("auto": CNY in Simplified text, TWD in
    Traditional) and of a bare $, whether plain unitless
    numbers are kept as CARDINAL figures, and whether a currency named with no amount
    (人民幣兌美元) is reported as MONEY with value None."""
    settings = FigureSettings(yuan_currency, dollar_currency, keep_bare_cardinals, currency_names)

    def figures(doc: Doc) -> None:
        in_entities = covered(len(doc.text), doc.entities)
        reference, basis = (
            (doc.doc_date, "doc_date") if doc.doc_date else (_published(doc), "stated")
        )
        doc.dates = [
            doc.span(item["start"], item["end"], **_fields(item))
            for item in find_dates(doc.text, in_entities, reference, basis, doc.doc_time)
        ]
        in_dates = covered(len(doc.text), doc.dates)
        # Dates are found outside entities, except a reign era (康熙三年), which wins.
        doc.entities = [
            item for item in doc.entities if not any(in_dates[item["start"] : item["end"]])
        ]
        found = find_figures(doc.text, in_dates, doc.token_tuples(), settings, _folded(doc))
        found, doc.entities = arbitrate(found, doc.entities, len(doc.text))
        if not settings.keep_bare_cardinals:
            found = [item for item in found if item["label"] != "CARDINAL" or item["counted"]]
        doc.figures = [doc.span(item["start"], item["end"], **_fields(item)) for item in found]

    return figures


def arbitrate(
    figures: list[dict[str, Any]], entities: list[Span], length: int
) -> tuple[list[dict[str, Any]], list[Span]]:
    """Figures and entities with no overlaps: an entity containing a figure keeps its
    place; any other overlap is resolved in the figure's favour."""
    owner = span_owners(length, ((entity["start"], entity["end"]) for entity in entities))
    kept_figures, dropped_entities = [], set()
    for figure in figures:
        overlapping = {index for index in owner[figure["start"] : figure["end"]] if index >= 0}
        if any(_contains(entities[index], figure) for index in overlapping):
            continue
        dropped_entities.update(overlapping)
        kept_figures.append(figure)
    kept_entities = [item for index, item in enumerate(entities) if index not in dropped_entities]
    return kept_figures, kept_entities


def _contains(outer: dict[str, Any], inner: dict[str, Any]) -> bool:
    return bool(outer["start"] <= inner["start"] and inner["end"] <= outer["end"])


def _published(doc: Doc) -> dt.date | None:
    """The publication date the structure stage read from the document, if any."""
    stated = doc.meta.get("published")
    if not isinstance(stated, str):
        return None
    for item in find_dates(stated):
        value = item.get("value")
        if value and len(value) >= 10:
            return dt.date.fromisoformat(value[:10])
    return None


def _folded(doc: Doc) -> list[bool]:
    """Which characters of doc.text were full-width (folded by normalize) in the source."""
    if len(doc.offset_map) != len(doc.text) + 1:
        return [False] * len(doc.text)
    return [doc.raw[doc.offset_map[index]] != char for index, char in enumerate(doc.text)]


def _fields(item: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in item.items() if key not in ("text", "start", "end")}
