"""Build small records (real tokens and sentences, hand-placed spans) and run output dirs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import zhextract
from zhextract.record import dumps


def locate(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the `nth` occurrence of `surface` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def span(text: str, surface: str, nth: int = 0, **fields: Any) -> dict[str, Any]:
    start, end = locate(text, surface, nth)
    return {
        "text": surface,
        "start": start,
        "end": end,
        "source_start": start,
        "source_end": end,
        **fields,
    }


def entity(text: str, surface: str, label: str, nth: int = 0) -> dict[str, Any]:
    return span(text, surface, nth, label=label)


def figure(
    text: str,
    surface: str,
    label: str,
    value: Any,
    unit: str | None = None,
    counted: str | None = None,
    approx: str | None = None,
    nth: int = 0,
) -> dict[str, Any]:
    low, high = value if isinstance(value, list) else (value, value)
    return span(
        text,
        surface,
        nth,
        label=label,
        value=value,
        low=low,
        high=high,
        unit=unit,
        counted=counted,
        approx=approx,
    )


def make_record(
    text: str,
    entities: Sequence[dict[str, Any]] = (),
    figures: Sequence[dict[str, Any]] = (),
    dates: Sequence[dict[str, Any]] = (),
    warnings: Sequence[str] = (),
    title: str | None = None,
    path: str | None = None,
) -> dict[str, Any]:
    """A record of `text` from the default pipeline, with exactly the spans given."""
    record = zhextract.extract(text)
    record["entities"] = list(entities)
    record["figures"] = list(figures)
    record["dates"] = list(dates)
    record["warnings"] = list(warnings)
    if title is not None:
        record["meta"]["title"] = title
    record["source"]["path"] = path
    return record


def write_outdir(
    outdir: Path, records: dict[str, dict[str, Any]], failed: list[dict[str, str]] | None = None
) -> Path:
    """Write records under `outdir` at the given relative paths, plus run.json."""
    for relative, record in records.items():
        target = outdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dumps(record), encoding="utf-8")
    summary = {"documents": len(records) + len(failed or []), "failed": failed or []}
    (outdir / "run.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    return outdir
