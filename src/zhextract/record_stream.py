"""A long document's record written chunk by chunk, so memory is bounded by a chunk.

`chunking.process_in_chunks` joins the chunks' documents into one `Doc` in memory; a
record holds several hundred bytes of Python objects per character, so a document of
tens of megabytes cannot be held that way. Here each chunk's spans are shifted, given
their source offsets and encoded at once into one spill file per list, and the record is
then written from the spill files. The bytes are those `record.dumps` (or, for a JSON
line, `json.dumps`) writes for `to_record` of the joined document: the same joining rules
(a line break between chunks cut at one, the last paragraph continued across a cut inside
a line, later chunks' empty texts dropped), applied one chunk behind, because a chunk's
last paragraph and the source offset just past its text depend on the chunk after it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from . import chunking
from .chunking import chunk_bounds, moved, shifted
from .doc import Doc, Span
from .record import (
    OPTIONAL_FIELDS,
    SPAN_LISTS,
    json_ready,
    nested_source_offsets,
    record_head,
    spans_with_source_offsets,
    token_json,
    with_bounds,
)


@dataclass(frozen=True)
class Layout:
    """How a record is written: `record.dumps`'s lines, or one compact JSON line."""

    encode: Callable[[Any], str]
    key_separator: str
    field_separator: str  # between top-level fields
    item_separator: str  # between the items of a list
    open_list: str
    close_list: str
    open_record: str
    close_record: str
    fast_tokens: bool  # tokens by `record.token_json`, which only has the spaced form

    def write_field(self, handle: IO[str], first: bool, key: str, value: Any) -> None:
        """A top-level field; a non-empty list one item per line, as `record.dumps` does."""
        handle.write(("" if first else self.field_separator) + self.encode(key))
        if isinstance(value, list) and value:
            items = self.item_separator.join(map(self.encode, value))
            handle.write(f"{self.key_separator}{self.open_list}{items}{self.close_list}")
        else:
            handle.write(self.key_separator + self.encode(value))


def _encoder(item_separator: str, key_separator: str) -> Callable[[Any], str]:
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(item_separator, key_separator))
    return encoder.encode


PRETTY = Layout(
    encode=_encoder(", ", ": "),
    key_separator=": ",
    field_separator=",\n",
    item_separator=",\n",
    open_list="[\n",
    close_list="\n]",
    open_record="{\n",
    close_record="\n}\n",
    fast_tokens=True,
)
LINE = Layout(
    encode=_encoder(",", ":"),
    key_separator=":",
    field_separator=",",
    item_separator=",",
    open_list="[",
    close_list="]",
    open_record="{",
    close_record="}",
    fast_tokens=False,
)


class _Spill:
    """The encoded items of one list, kept in an unnamed temporary file."""

    def __init__(self, layout: Layout, tokens: bool) -> None:
        # Closed by `_Writer.close`, which owns every spill of a record.
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.count = 0
        self._layout = layout
        self._fast = tokens and layout.fast_tokens

    def add(self, item: Span) -> None:
        encoded = (token_json(item) if self._fast else None) or self._layout.encode(item)
        self.file.write(encoded if self.count == 0 else self._layout.item_separator + encoded)
        self.count += 1

    def copy_to(self, handle: IO[str]) -> None:
        self.file.seek(0)
        while block := self.file.read(1 << 20):
            handle.write(block)


@dataclass
class _ChunkOffsets:
    """Source offsets of spans in one chunk's part of the joined text, as the joined
    document's offset map gives them (`Doc.source_span`)."""

    shift: int  # where the chunk's text starts in the joined text
    raw_start: int  # where the chunk starts in the source text
    offset_map: list[int]
    sentinel: int | None = None  # the offset just past the text, once the next chunk says

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if not self.offset_map:
            return start, end
        first = self._source(start - self.shift)
        if end <= start:
            return first, first
        return first, self._source(end - 1 - self.shift) + 1

    def _source(self, index: int) -> int:
        if index == len(self.offset_map) - 1 and self.sentinel is not None:
            return self.sentinel
        return self.raw_start + self.offset_map[index]


@dataclass
class _Open:
    """The last paragraph so far: the next chunk may continue it."""

    span: Span
    source_start: int
    source_end: int


@dataclass
class _Writer:
    """The state of one record being written chunk by chunk."""

    doc: Doc
    layout: Layout
    omitted: frozenset[str]
    spills: dict[str, _Spill] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    length: int = 0  # of the joined text so far
    counts: dict[str, int] = field(default_factory=lambda: {"figure": 0, "date": 0})
    open_paragraph: _Open | None = None
    pending: tuple[Doc, _ChunkOffsets] | None = None

    def __post_init__(self) -> None:
        for name in (*SPAN_LISTS, "facts"):
            if name not in self.omitted:
                self.spills[name] = _Spill(self.layout, tokens=name == "tokens")

    def add(self, part: Doc, raw_start: int, first: bool) -> None:
        """Join a chunk's processed document (as `chunking._append` does)."""
        separator = ""
        if not first:
            if not part.text:
                return
            if self.length and self.doc.raw[raw_start - 1] == "\n":
                separator = "\n"
        offsets = _ChunkOffsets(self.length + len(separator), raw_start, part.offset_map)
        if self.pending is not None:
            pending_doc, pending_offsets = self.pending
            if not separator and part.offset_map:
                pending_offsets.sentinel = raw_start + part.offset_map[0]
            self._flush(pending_doc, pending_offsets)
        self._add_paragraphs(part, offsets, continues=not first and not separator)
        self.texts += [separator, part.text]
        self.length = offsets.shift + len(part.text)
        self.pending = (part, offsets)

    def _add_paragraphs(self, part: Doc, offsets: _ChunkOffsets, continues: bool) -> None:
        paragraphs = [shifted(item, offsets.shift) for item in part.paragraphs]
        if not paragraphs:
            return
        if continues and self.open_paragraph is not None:
            opened, first = self.open_paragraph, paragraphs.pop(0)
            _, source_end = offsets.source_span(first["start"], first["end"])
            self.open_paragraph = _Open(
                {**opened.span, "end": first["end"]}, opened.source_start, source_end
            )
        for item in paragraphs:
            self._close_paragraph()
            self.open_paragraph = _Open(item, *offsets.source_span(item["start"], item["end"]))

    def _close_paragraph(self) -> None:
        opened, self.open_paragraph = self.open_paragraph, None
        if opened is None or "paragraphs" not in self.spills:
            return
        spans = spans_with_source_offsets(lambda _s, _e: _spanned(opened), [opened.span])
        self.spills["paragraphs"].add(spans[0])

    def _flush(self, part: Doc, offsets: _ChunkOffsets) -> None:
        """Write a chunk's spans other than paragraphs, now that its end is known."""
        for name in SPAN_LISTS:
            items = getattr(part, name)
            if name != "paragraphs" and name in self.spills:
                moved_items = [shifted(item, offsets.shift) for item in items]
                ready = spans_with_source_offsets(offsets.source_span, moved_items)
                if name == "figures":
                    ready = [with_bounds(figure) for figure in ready]
                for item in ready:
                    self.spills[name].add(item)
        if "facts" in self.spills:
            for fact in part.facts:
                joined = json_ready(moved(fact, offsets.shift, self.counts))
                self.spills["facts"].add(nested_source_offsets(offsets.source_span, joined))
        self.counts["figure"] += len(part.figures)
        self.counts["date"] += len(part.dates)

    def finish(self, head_doc: Doc, name: str, version: str, handle: IO[str]) -> None:
        if self.pending is not None:
            self._flush(*self.pending)
        self._close_paragraph()
        head = record_head(head_doc, name, version, text="".join(self.texts))
        layout = self.layout
        handle.write(layout.open_record)
        for index, (key, value) in enumerate(head.items()):
            if key not in self.omitted:
                layout.write_field(handle, index == 0, key, value)
        for key in (*SPAN_LISTS, "facts"):
            spill = self.spills.get(key)
            if spill is None:
                continue
            handle.write(layout.field_separator + layout.encode(key) + layout.key_separator)
            if spill.count == 0:
                handle.write("[]")
                continue
            handle.write(layout.open_list)
            spill.copy_to(handle)
            handle.write(layout.close_list)
        layout.write_field(handle, False, "warnings", list(head_doc.warnings))
        names = [name for name in OPTIONAL_FIELDS if name in self.omitted]
        if names:
            layout.write_field(handle, False, "omitted", names)
        handle.write(layout.close_record)

    def close(self) -> None:
        for spill in self.spills.values():
            spill.file.close()


def _spanned(opened: _Open) -> tuple[int, int]:
    return opened.source_start, opened.source_end


def write_chunked_record(
    doc: Doc,
    process: Callable[[Doc], Doc],
    name: str,
    version: str,
    handle: IO[str],
    omitted: Iterable[str] = (),
    layout: Layout = PRETTY,
) -> None:
    """Write the record of `doc` to `handle`, processing it chunk by chunk (chunks of
    `chunking.CHUNK_CHARS`, read at each call)."""
    writer = _Writer(doc, layout, frozenset(omitted))
    head_doc: Doc | None = None
    meta = dict(doc.meta)  # later chunks read the first one's stated publication date
    try:
        for start, end in chunk_bounds(doc.raw, chunking.CHUNK_CHARS):
            chunk = Doc(
                raw=doc.raw[start:end], source=doc.source, doc_date=doc.doc_date, meta=dict(meta)
            )
            part = process(chunk)
            if head_doc is None:
                head_doc = Doc(raw="", source=doc.source, doc_date=doc.doc_date, meta=part.meta)
                head_doc.warnings = [*doc.warnings, *part.warnings]
                if "published" in part.meta:
                    meta["published"] = part.meta["published"]
            elif part.text:
                new = [warning for warning in part.warnings if warning not in head_doc.warnings]
                head_doc.warnings.extend(dict.fromkeys(new))
            writer.add(part, start, first=writer.pending is None)
        assert head_doc is not None
        writer.finish(head_doc, name, version, handle)
    finally:
        writer.close()
