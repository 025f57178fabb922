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

import re
from collections.abc import Callable, Iterator
from typing import Any

from .doc import Doc, Span
from .record import SPAN_LISTS

CHUNK_CHARS = 100_000
# Where a chunk may end, best first; each pattern's match end is the cut.
BOUNDARIES = (re.compile(r"\n[ \t\u3000]*\n"), re.compile(r"\n"), re.compile(r"[。！？!?；;]"))


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


def process_in_chunks(doc: Doc, process: Callable[[Doc], Doc], size: int | None = None) -> Doc:
    """`process(doc)`, chunk by chunk when the text is longer than `size` (CHUNK_CHARS, read
    at each call)."""
    size = CHUNK_CHARS if size is None else size
    if len(doc.raw) <= size:
        return process(doc)
    joined: Doc | None = None
    # Later chunks read the first one's stated publication date, as the whole text would.
    meta = dict(doc.meta)
    for start, end in chunk_bounds(doc.raw, size):
        chunk = Doc(
            raw=doc.raw[start:end], source=doc.source, doc_date=doc.doc_date, meta=dict(meta)
        )
        part = process(chunk)
        if joined is None:
            joined = part
            joined.raw = doc.raw
            joined.warnings = [*doc.warnings, *part.warnings]
            if "published" in part.meta:
                meta["published"] = part.meta["published"]
            continue
        _append(joined, part, start, at_line_break=doc.raw[start - 1] == "\n")
    assert joined is not None
    return joined


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
    paragraphs = [shifted(item, shift) for item in part.paragraphs]
    if not separator and joined.paragraphs and paragraphs:
        joined.paragraphs[-1] = {**joined.paragraphs[-1], "end": paragraphs.pop(0)["end"]}
    joined.paragraphs = [*joined.paragraphs, *paragraphs]
    # A fact points at its figure and date by index in this chunk's lists.
    indexes = {"figure": len(joined.figures), "date": len(joined.dates)}
    joined.facts = [*joined.facts, *(moved(fact, shift, indexes) for fact in part.facts)]
    for name in SPAN_LISTS:
        if name != "paragraphs":
            moved_items = [shifted(item, shift) for item in getattr(part, name)]
            setattr(joined, name, [*getattr(joined, name), *moved_items])
    joined.warnings.extend(warning for warning in part.warnings if warning not in joined.warnings)


def moved(value: Any, shift: int, indexes: dict[str, int]) -> Any:
    """A fact (or a piece of one) of a later chunk: offsets moved by `shift`, the figure and
    date indexes by the lengths of the lists it now follows."""
    if isinstance(value, list):
        return [moved(item, shift, indexes) for item in value]
    if not isinstance(value, dict):
        return value
    result = shifted(value, shift)
    for key, item in value.items():
        if key in indexes and type(item) is int:
            result[key] = item + indexes[key]
        elif isinstance(item, (dict, list)):
            result[key] = moved(item, shift, indexes)
    return result


def shifted(item: Span, shift: int) -> Span:
    """`item` with its text offsets (start, end, *_start, *_end) moved by `shift`."""
    result: dict[str, Any] = dict(item)
    for key, value in item.items():
        if (key in ("start", "end") or key.endswith(("_start", "_end"))) and type(value) is int:
            result[key] = value + shift
    return result
