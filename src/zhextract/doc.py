"""The document object that flows through the pipeline stages.

Every stage reads and fills fields of one `Doc`. Span lists hold plain dicts whose
`start`/`end` are `[start, end)` offsets into `Doc.text` (the logical text);
`zhextract.record` adds the matching source offsets when it writes the record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Span = dict[str, Any]


@dataclass
class Source:
    """Where a document came from: its path (if any), content hash and encoding, and what
    the file states about itself outside its text: `meta` (an HTML page's `published`
    date and `author`) starts the document's `meta`; `marks` are (start, end, role)
    offsets into the source text of lines its markup marks ("title", "heading": a Word
    style), for the structure stage."""

    path: str | None = None
    sha256: str = ""
    encoding: str = "utf-8"
    meta: dict[str, str] = field(default_factory=dict)
    marks: list[tuple[int, int, str]] = field(default_factory=list)
    warnings: tuple[str, ...] = ()  # what reading had to repair (replaced bytes)


@dataclass
class Doc:
    """A document being processed: the raw source text and everything found in it."""

    raw: str
    source: Source = field(default_factory=Source)
    doc_date: dt.date | None = None
    # The time of day of the reference, where doc_date was given with one (2小時後 needs it).
    doc_time: dt.time | None = None
    text: str = ""
    # offset_map[i] is the source offset of text[i]; it has len(text) + 1 entries, the
    # last one being the source offset just past the final character.
    offset_map: list[int] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    sections: list[Span] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    notes: list[Span] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    # Replace the list (or call `set_tokens`) rather than edit its dicts in place:
    # `token_tuples` is kept per list.
    tokens: list[Span] = field(default_factory=list)
    entities: list[Span] = field(default_factory=list)
    figures: list[Span] = field(default_factory=list)
    dates: list[Span] = field(default_factory=list)
    # Who did what, to whom and when, per figure (the facts stage; spans nested inside).
    facts: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # (tokens list, its token_tuples), so stages after segment share one list.
    _token_cache: tuple[list[Span], list[tuple[int, int, str]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @classmethod
    def from_text(
        cls,
        raw: str,
        source: Source | None = None,
        doc_date: dt.date | None = None,
        doc_time: dt.time | None = None,
    ) -> Doc:
        if source is None:
            digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
            source = Source(path=None, sha256=digest, encoding="utf-8")
        return cls(
            raw=raw,
            source=source,
            doc_date=doc_date,
            doc_time=doc_time,
            meta=dict(source.meta),
            warnings=list(source.warnings),
        )

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets `[start, end)` of the logical span `[start, end)`."""
        if not self.offset_map:
            return start, end
        if end <= start:
            return self.offset_map[start], self.offset_map[start]
        return self.offset_map[start], self.offset_map[end - 1] + 1

    def span(self, start: int, end: int, **fields: Any) -> Span:
        """A span dict with its surface text, so `text[start:end] == span["text"]` holds."""
        return {"text": self.text[start:end], "start": start, "end": end, **fields}

    def set_tokens(self, words: list[tuple[int, int, str]]) -> None:
        """Make the (start, end, pos) `words` the tokens; `token_tuples` returns them
        until `tokens` is replaced. Treat `words` as read-only from here on."""
        text = self.text
        # The dict `span` builds, written out: this runs once per token.
        self.tokens = [
            {"text": text[start:end], "start": start, "end": end, "pos": tag}
            for start, end, tag in words
        ]
        self._token_cache = (self.tokens, words)

    def token_tuples(self) -> list[tuple[int, int, str]]:
        """(start, end, pos) of every token, the form the stages' matchers work on
        (one shared list: do not modify it)."""
        cache = self._token_cache
        if cache is None or cache[0] is not self.tokens or len(cache[1]) != len(self.tokens):
            tuples = [(token["start"], token["end"], token.get("pos", "")) for token in self.tokens]
            cache = self._token_cache = (self.tokens, tuples)
        return cache[1]


def span_owners(length: int, spans: Iterable[tuple[int, int]]) -> list[int]:
    """For each of `length` characters, the index of the span covering it, else -1
    (where spans overlap, the later one wins)."""
    owners = [-1] * length
    for index, (start, end) in enumerate(spans):
        owners[start:end] = [index] * (end - start)
    return owners


def covered(length: int, spans: Iterable[Span]) -> list[bool]:
    """For each of `length` characters, whether one of the span dicts covers it."""
    mask = [False] * length
    for item in spans:
        mask[item["start"] : item["end"]] = [True] * (item["end"] - item["start"])
    return mask


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`[start, end)` without the whitespace at either edge; None if nothing else is in it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def parse_doc_time(value: str | dt.date | None) -> dt.time | None:
    """The time of day of a doc_date given as a datetime (`2025-02-07T14:30`), else None.
    Bad values are left to `parse_doc_date`, which says why."""
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if not isinstance(value, str) or len(value.strip()) <= len("YYYY-MM-DD"):
        return None
    try:
        return dt.datetime.fromisoformat(value.strip()).time().replace(microsecond=0)
    except ValueError:
        return None


def parse_doc_date(value: str | dt.date | None) -> dt.date | None:
    """Accept an ISO date string, a `date` (or `datetime`) or None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:  # a date, or a whole valid datetime (2025-02-07T99:99 is neither)
        return dt.datetime.fromisoformat(str(value).strip()).date()
    except ValueError as error:
        raise ValueError(f"doc_date must be an ISO date (YYYY-MM-DD), got {value!r}") from error
