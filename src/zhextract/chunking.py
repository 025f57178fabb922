"""Long documents in chunks: memory bounded by a chunk, not by the document.

A text longer than `CHUNK_CHARS` is cut at the last paragraph break (a blank line) before
the limit, else the last line break, else the last sentence end, else at the limit.
Every chunk runs through the stages on its own; the chunks' documents are then joined
into one (a line break between them where the cut was one), every span and offset shifted,
so the record's offsets hold exactly as for a document processed whole. The first
chunk's title and fields stand for the document, and its stated date (發布日期) resolves
relative dates in the chunks after it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

from .doc import Doc, Span

CHUNK_CHARS = 100_000
# Where a chunk may end, best first; each pattern's match end is the cut.
BOUNDARIES = (re.compile(r"\n[ \t\u3000]*\n"), re.compile(r"\n"), re.compile(r"[。！？!?；;]"))
SPAN_LISTS = (
    "sections",
    "paragraphs",
    "notes",
    "sentences",
    "tokens",
    "entities",
    "figures",
    "dates",
)


def chunk_bounds(raw: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, int]]:
    """[start, end) of consecutive chunks of at most `size` characters covering `raw`."""
    start = 0
    while len(raw) - start > size:
        end = _cut(raw, start, start + size)
        yield start, end
        start = end
    yield start, len(raw)


def _cut(raw: str, start: int, limit: int) -> int:
    """The best place to end a chunk in raw[start:limit]: the last boundary in its second
    half (so chunks stay large), else the limit."""
    floor = start + (limit - start) // 2
    for boundary in BOUNDARIES:
        last = None
        for match in boundary.finditer(raw, floor, limit):
            last = match
        if last is not None:
            return last.end()
    return limit


def process_in_chunks(doc: Doc, process: Callable[[Doc], Doc], size: int = CHUNK_CHARS) -> Doc:
    """`process(doc)`, chunk by chunk when the text is longer than `size`."""
    if len(doc.raw) <= size:
        return process(doc)
    joined: Doc | None = None
    doc_date = doc.doc_date
    for start, end in chunk_bounds(doc.raw, size):
        part = process(Doc(raw=doc.raw[start:end], source=doc.source, doc_date=doc_date))
        if joined is None:
            joined = part
            joined.raw = doc.raw
            joined.warnings = [*doc.warnings, *part.warnings]
            doc_date = doc.doc_date or _stated_date(part)
            continue
        _append(joined, part, start, at_line_break=doc.raw[start - 1] == "\n")
    assert joined is not None
    joined.doc_date = doc.doc_date
    return joined


def _stated_date(doc: Doc) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(doc.meta.get("published", ""))[:10])
    except ValueError:
        return None


def _append(joined: Doc, part: Doc, raw_start: int, at_line_break: bool) -> None:
    """Add a later chunk's document to `joined`. After a line break its text follows a
    "\n" (mapped to where the text before it ends); a chunk cut inside a line (at a
    sentence end, or at the size limit) continues that line, and its first paragraph
    continues the last one."""
    if not part.text:
        return
    mapped = [raw_start + offset for offset in part.offset_map]
    separator = "\n" if at_line_break and joined.text else ""
    shift = len(joined.text) + len(separator)
    joined.text = f"{joined.text}{separator}{part.text}"
    if separator:
        joined.offset_map = [*joined.offset_map, *mapped]  # the old end maps the break
    else:
        joined.offset_map = [*joined.offset_map[:-1], *mapped]
    paragraphs = [_shifted(item, shift) for item in part.paragraphs]
    if not separator and joined.paragraphs and paragraphs:
        joined.paragraphs[-1] = {**joined.paragraphs[-1], "end": paragraphs.pop(0)["end"]}
    joined.paragraphs = [*joined.paragraphs, *paragraphs]
    for name in SPAN_LISTS:
        if name != "paragraphs":
            shifted = [_shifted(item, shift) for item in getattr(part, name)]
            setattr(joined, name, [*getattr(joined, name), *shifted])
    joined.warnings.extend(warning for warning in part.warnings if warning not in joined.warnings)


def _shifted(item: Span, shift: int) -> Span:
    moved: dict[str, Any] = dict(item)
    for key, value in item.items():
        if (key in ("start", "end") or key.endswith(("_start", "_end"))) and type(value) is int:
            moved[key] = value + shift
    return moved
