"""A user's script: totals from records, with the package's types."""

from __future__ import annotations

import zhextract
from zhextract.types import Date, Entity, Figure, Record


def money_bounds(record: Record) -> list[tuple[float, float]]:
    bounds: list[tuple[float, float]] = []
    figure: Figure
    for figure in record.get("figures", []):
        low, high = figure["low"], figure["high"]
        if figure["label"] == "MONEY" and low is not None and high is not None:
            bounds.append((float(low), float(high)))
    return bounds


def people(record: Record) -> list[str]:
    entities: list[Entity] = record.get("entities", [])
    return [entity["text"] for entity in entities if entity["label"] == "PERSON"]


def resolved(record: Record) -> dict[str, str]:
    dates: list[Date] = record.get("dates", [])
    return {date["text"]: date["value"] for date in dates if date["value"] is not None}


record = zhextract.extract("日本將對美投資 1 兆美元。", doc_date="2025-02-07")
print(money_bounds(record), people(record), resolved(record), record["text"])
nlp = zhextract.load("default")
for other in nlp.pipe(["第一篇。"]):
    print(other["id"], len(other.get("tokens", [])))
