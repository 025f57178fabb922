"""What `zhextract run --resume` reads of the records already in OUTDIR, never whole.

A record is current when its source (path and sha256), pipeline, document date and omitted
fields are those this run would write. All but `omitted` come before the record's text
(`record.record_head`), and `omitted` is its last field, so `read_stamp` reads the first
HEAD_BYTES and the last TAIL_BYTES of a record and nothing between, however long the record
is (a 50 MB document's record is over a gigabyte).

A jsonl run's earlier lines (records.jsonl, then an unfinished run's journal, which is
newer) are indexed where they are (`EarlierLines`): a local folder's files are read in
place, an object store's are first copied to local temporary files. The index holds each
line's place and stamp, not the line; a resumed line is copied from its place into the new
records.jsonl.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, BinaryIO

from .output_store import OutputStore, copy_range

HEAD_BYTES = 1 << 16  # the fields before the text are a few hundred bytes
TAIL_BYTES = 1 << 12  # `omitted` lists at most a handful of field names
SCAN_BYTES = 1 << 20
_DECODER = json.JSONDecoder()
_LAST_OMITTED = re.compile(r'.*"omitted"\s*:\s*', re.DOTALL)


@dataclass(frozen=True)
class Stamp:
    """What makes a record current or stale."""

    path: Any
    sha256: Any
    pipeline: Any  # {"name": ..., "version": ...}
    doc_date: Any
    omitted: tuple[Any, ...]


@dataclass(frozen=True)
class EarlierRecord:
    """An earlier record line: its stamp, and where it is (`EarlierLines.files[file]`)."""

    stamp: Stamp
    file: int
    offset: int
    length: int  # without the line break


EarlierRecords = Mapping[Any, EarlierRecord]  # by source path


def read_stamp(handle: BinaryIO, start: int = 0, end: int | None = None) -> Stamp | None:
    """The stamp of the record in `handle[start:end]` (to the end of the file by default);
    None when it is not a whole record (cut short, or not JSON where the fields are)."""
    if end is None:
        end = handle.seek(0, 2)
    handle.seek(start)
    head = handle.read(min(end - start, HEAD_BYTES)).decode("utf-8", "replace")
    tail_start = max(start, end - TAIL_BYTES)
    handle.seek(tail_start)
    tail = handle.read(end - tail_start).decode("utf-8", "replace")
    fields = _fields_before_text(head)
    omitted = _last_omitted(tail)
    if fields is None or omitted is None:
        return None
    source = fields.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("path"), str | None):
        return None  # the path is a key of `EarlierLines.records`
    return Stamp(
        source.get("path"),
        source.get("sha256"),
        fields.get("pipeline"),
        fields.get("doc_date"),
        omitted,
    )


def _fields_before_text(head: str) -> dict[str, Any] | None:
    """The top-level fields of a JSON object before its "text" field, read one value at a
    time from the start of `head`; None if `head` is not such an object."""
    fields: dict[str, Any] = {}
    index = _after_space(head, 0)
    separator = "{"
    try:
        while head.startswith(separator, index):
            key, index = _DECODER.raw_decode(head, _after_space(head, index + 1))
            index = _after_space(head, index)
            if not head.startswith(":", index) or not isinstance(key, str):
                return None
            if key == "text":
                return fields
            fields[key], index = _DECODER.raw_decode(head, _after_space(head, index + 1))
            index = _after_space(head, index)
            separator = ","
    except ValueError:
        return None
    return None


def _after_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _last_omitted(tail: str) -> tuple[Any, ...] | None:
    """The record's `omitted` list, read from the end of the record: () when its last field
    is another one, None when the record does not end as an object does."""
    if not tail.rstrip().endswith("}"):
        return None
    found = _LAST_OMITTED.match(tail)
    if found is None:
        return ()
    try:
        names, end = _DECODER.raw_decode(tail, found.end())
    except ValueError:
        return ()
    # A key inside a nested object would be followed by more than the record's own "}".
    if tail[end:].strip() != "}" or not isinstance(names, list):
        return ()
    return tuple(names)


class EarlierLines:
    """The record lines of earlier jsonl runs, by source path; a context manager that
    closes the files it opened."""

    def __init__(self) -> None:
        self.files: list[BinaryIO] = []
        self.records: dict[Any, EarlierRecord] = {}
        self._opened = ExitStack()

    @classmethod
    def read(cls, store: OutputStore, names: list[str]) -> EarlierLines:
        """The lines of the files `names` in OUTDIR, a later line replacing an earlier one
        of the same source path; a damaged line is left out (its document runs again)."""
        earlier = cls()
        for name in names:
            handle = earlier._opened.enter_context(store.local_copy(name))
            if handle is not None:
                earlier._index(handle)
        return earlier

    def _index(self, handle: BinaryIO) -> None:
        number = len(self.files)
        self.files.append(handle)
        for offset, end in line_places(handle):
            stamp = read_stamp(handle, offset, end)
            if stamp is not None:
                self.records[stamp.path] = EarlierRecord(stamp, number, offset, end - offset)

    def copy_line(self, record: EarlierRecord, out: BinaryIO) -> None:
        """The line, with its line break, to `out`."""
        handle = self.files[record.file]
        copy_range(handle, record.offset, record.offset + record.length, out)
        out.write(b"\n")

    def __enter__(self) -> EarlierLines:
        return self

    def __exit__(self, *_: object) -> None:
        self._opened.close()


def line_places(handle: BinaryIO) -> Iterator[tuple[int, int]]:
    """[start, end) of each non-empty line of the file, found block by block."""
    handle.seek(0)
    start = position = 0
    while block := handle.read(SCAN_BYTES):
        at = block.find(b"\n")
        while at != -1:
            end = position + at
            if end > start:
                yield start, end
            start = end + 1
            at = block.find(b"\n", at + 1)
        position += len(block)
        handle.seek(position)  # read_stamp moved it
    if position > start:
        yield start, position
