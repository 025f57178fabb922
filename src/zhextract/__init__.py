"""zhextract: structured, reviewable JSON from Traditional Chinese documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .pipeline import Pipeline
    from .types import Record

__all__ = ["__version__", "extract", "load", "parse_number", "segment"]


def load(pipeline: str = "default", overrides: dict[str, Any] | None = None) -> Pipeline:
    """Load a pipeline by bundled name (e.g. "default") or path to a .cfg file; `overrides`
    replace settings by dotted path, e.g. {"stages.segment.user_dict": "my_words.txt"}."""
    from .pipeline import load as load_pipeline

    return load_pipeline(pipeline, overrides)


def extract(text: str, doc_date: str | dt.date | None = None) -> Record:
    """Run the default pipeline on `text` and return a JSON-ready record (typed as
    `zhextract.types.Record`)."""
    return load("default")(text, doc_date=doc_date)


def segment(text: str) -> list[str]:
    """Words of `text`; their concatenation is `text` with whitespace removed."""
    from .stages.segment import segment_words

    return segment_words(text)


def parse_number(text: str) -> Decimal:
    """The exact value of a numeral such as "5,000億" or "一兆兩千億"; ValueError otherwise."""
    from .stages.figures.numbers import parse_number as parse

    return parse(text)
