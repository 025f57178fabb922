"""Types of the published record (schemas/record.schema.json, version 1.1), for type checkers.

`zhextract.extract` and a pipeline's call return a `Record`; its span lists hold `Entity`,
`Figure`, `Date`, `Token`... dicts. Fields a run may leave out (`zhextract run --fields`) are
not required keys: check `record.get("omitted")` or use `.get`.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

# An exact number: int, a float whose decimal form is exact, or the exact decimal as a string.
Number = int | float | str
EntityLabel = Literal[
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
]
FigureLabel = Literal["MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "DATE"]
Approximation = Literal["near", "over", "under", "about"]


class Offsets(TypedDict):
    """[start, end) into the record's text and [source_start, source_end) into the source."""

    start: int
    end: int
    source_start: int
    source_end: int


class TextSpan(Offsets):
    text: str  # == record["text"][start:end]


class Token(TextSpan):
    pos: str  # the segmenter's (jieba/ICTCLAS) tag


class _EntityFields(TextSpan):
    label: EntityLabel


class Entity(_EntityFields, total=False):
    source: str  # which part of the entities stage found it


class _FigureFields(TextSpan):
    label: FigureLabel
    value: Number | list[Number] | None  # [low, high] for a range; PERCENT as a fraction
    low: Number | None
    high: Number | None
    unit: str | None
    counted: str | None
    approx: Approximation | None


class Figure(_FigureFields, total=False):
    per: str | None
    kind: Literal["duration", "currency_name"]


class _DateFields(TextSpan):
    value: str | None  # ISO 8601 (2025, 2025-03, 2025-03-05T10:30) or EDTF decade 199X


class Date(_DateFields, total=False):
    reason: str  # why value is None
    mod: Literal["before", "after", "since", "until"]
    range: list[str]  # first and last day of a period (上週, 3月上旬, 第3季)
    basis: Literal["doc_date", "stated", "text"]  # what a relative date was resolved against


class Section(Offsets):
    heading: str
    content_start: int
    content_end: int


class Paragraph(Offsets, total=False):
    role: str


class _NoteFields(TextSpan):
    kind: str


class Note(_NoteFields, total=False):
    publisher: str


class Source(TypedDict):
    path: str | None
    sha256: str
    encoding: str


class PipelineInfo(TypedDict):
    name: str
    version: str


class _RecordFields(TypedDict):
    schema_version: str
    id: str
    source: Source
    pipeline: PipelineInfo
    doc_date: str | None
    text: str
    warnings: list[str]


class Record(_RecordFields, total=False):
    """One processed document. Every field but those `omitted` lists is present."""

    meta: dict[str, object]
    sections: list[Section]
    paragraphs: list[Paragraph]
    notes: list[Note]
    sentences: list[Offsets]
    tokens: list[Token]
    entities: list[Entity]
    figures: list[Figure]
    dates: list[Date]
    facts: list[dict[str, Any]]  # per figure: predicate, subject, object, time, change...
    omitted: list[str]


__all__ = [
    "Approximation",
    "Date",
    "Entity",
    "EntityLabel",
    "Figure",
    "FigureLabel",
    "Note",
    "Number",
    "Offsets",
    "Paragraph",
    "PipelineInfo",
    "Record",
    "Section",
    "Source",
    "TextSpan",
    "Token",
]
