"""Where `zhextract run` puts its files: a local folder, or a folder at an fsspec URL.

A store writes each file whole or not at all, reads files back for `--resume`, and keeps
the journal of a jsonl run (the record lines made so far, so that a killed run keeps them):

- `LocalStore`, for local paths and file:// URLs: a file goes to an unnamed temporary file
  renamed over its name (`batch.write_atomically`; even `kill -9` leaves only whole files),
  and the journal is one file that each record line is appended to and flushed.
- `FsspecStore`, for other URLs (`s3://bucket/prefix/`, `gcs://...`, `memory://...`): a file
  is staged in a local temporary file, then sent in one upload (`pipe_file`, or `put_file`
  for a large one, which s3fs and gcsfs send in parts), which an object store shows whole
  once it is complete or not at all; object stores can neither rename nor append. A
  missing bucket is an error: buckets are not created. The journal is a
  folder of numbered parts (`records.jsonl.partial/000001.jsonl`, ...), each written whole:
  the lines of the last JOURNAL_SECONDS or more, and the rest when the run ends or is
  interrupted. A killed client so loses at most the lines of its last few seconds, whose
  documents `--resume` processes again; the parts are read in order, later lines first.

The cloud filesystems are optional (`pip install 'zhextract[s3]'` for s3://); local output
needs none of them.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

URL_MARK = "://"
LOCAL_PROTOCOLS = frozenset({"file", "local"})
# Filesystems held in one process's memory: other processes (pool or Dask workers) cannot
# see what is written there.
IN_MEMORY_PROTOCOLS = frozenset({"memory"})
JOURNAL_SECONDS = 5.0  # the lines of at least this long go into one journal part
JOURNAL_PART = "{number:06d}.jsonl"
COPY_BLOCK = 1 << 20
# Files up to this size are uploaded from memory; larger ones are streamed from their
# local staging file, so a long record never sits in memory whole.
UPLOAD_FROM_MEMORY_BYTES = 16 << 20
SPILL_NAME = ".{name}.{token}.line.tmp"  # a long record line on its way to the journal

Writer = Callable[[BinaryIO], object]  # writes a file's bytes to the handle it is given

OutputLocation = Path | str  # a local folder, or an fsspec URL


def is_url(given: str | Path) -> bool:
    return URL_MARK in str(given)


def output_location(given: str | Path) -> OutputLocation:
    """OUTDIR as given: a local path (also for a file:// URL), else the URL itself. Raises
    ValueError for a URL whose filesystem fsspec does not know, ImportError when fsspec or
    the filesystem's package is not installed."""
    if not is_url(given):
        return Path(given)
    filesystem, root = _url_to_fs(str(given))
    if LOCAL_PROTOCOLS.intersection(_protocols(filesystem)):
        return Path(root)
    return str(given)


def in_process_memory(location: OutputLocation) -> bool:
    """Whether files written at `location` are seen by this process only (memory://)."""
    if not is_url(location):
        return False
    return bool(IN_MEMORY_PROTOCOLS.intersection(_protocols(_url_to_fs(str(location))[0])))


def open_store(location: OutputLocation) -> OutputStore:
    """The store for an output folder (a path, or a URL as `output_location` gives it), one
    per process: a forked pool worker makes its own, as a filesystem client (an S3
    connection pool, an event loop) must not be shared across a fork."""
    return _store_of_process(location, os.getpid())


@lru_cache(maxsize=16)
def _store_of_process(location: OutputLocation, process_id: int) -> OutputStore:
    if not is_url(location):
        return LocalStore(Path(location))
    resolved = output_location(location)
    if isinstance(resolved, Path):
        return LocalStore(resolved)
    return FsspecStore(resolved)


class JournalFile(Protocol):
    """The jsonl journal's lines as one local file (`handle`, read and appended to)."""

    handle: BinaryIO

    def saved(self) -> None:
        """Called after each line appended: make it last (flush, or upload)."""


class OutputStore(ABC):
    """An output folder: files are named by POSIX paths relative to it."""

    @abstractmethod
    def display(self, name: str) -> str:
        """Where the file `name` is, for messages."""

    @abstractmethod
    def prepare(self) -> None:
        """Create the folder if it is missing (OSError if it cannot be)."""

    def write(self, name: str, content: str) -> None:
        """Write the file whole: a reader sees the old file or the new one, never a part."""
        data = content.encode("utf-8")  # fails before anything is written
        self.write_with(name, lambda handle: handle.write(data))

    @abstractmethod
    def write_with(self, name: str, write: Writer) -> None:
        """As `write`, with the bytes that `write` writes to the handle it is given; if it
        raises, the file is as it was."""

    @abstractmethod
    def spill(self, name: str, write: Writer) -> str:
        """Write a long record line to a new hidden temporary file, for the client's
        journal to take (`take_spilled`); that file's name."""

    @abstractmethod
    def take_spilled(self, spilled: str, out: BinaryIO) -> None:
        """Copy a file made by `spill` to `out`, then delete it."""

    @abstractmethod
    def open_read(self, name: str) -> AbstractContextManager[BinaryIO | None]:
        """The file opened for reading with seeks (on an object store, each read is a
        ranged download), or None if it is missing or unreadable."""

    def local_copy(self, name: str) -> AbstractContextManager[BinaryIO | None]:
        """As `open_read`, for reading all of the file many times over: a local file."""
        return self.open_read(name)

    @abstractmethod
    def remove_stale_temporaries(self) -> None:
        """Delete temporary files a killed run may have left."""

    @abstractmethod
    def journal(self, name: str, resume: bool) -> AbstractContextManager[JournalFile]:
        """A context for the journal `name`: continued on resume, else started afresh."""

    @abstractmethod
    def journal_files(self, name: str) -> list[str]:
        """The names of the journal's files, in the order their lines were added."""

    @abstractmethod
    def remove_journal(self, name: str) -> None:
        """Delete the journal, once its lines are in their final file."""


class LocalStore(OutputStore):
    """A folder on this machine or a shared filesystem: atomic rename, appended journal."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def display(self, name: str) -> str:
        return (self.folder / name).as_posix()

    def prepare(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, content: str) -> None:
        from .batch import write_atomically  # batch imports this module

        write_atomically(self.folder / name, content)

    def write_with(self, name: str, write: Writer) -> None:
        from .batch import write_atomically_with

        write_atomically_with(self.folder / name, write)

    def spill(self, name: str, write: Writer) -> str:
        spilled = SPILL_NAME.format(name=name, token=secrets.token_hex(4))
        try:
            with (self.folder / spilled).open("wb") as handle:
                write(handle)
        except BaseException:
            (self.folder / spilled).unlink(missing_ok=True)
            raise
        return spilled

    def take_spilled(self, spilled: str, out: BinaryIO) -> None:
        with (self.folder / spilled).open("rb") as lines:
            shutil.copyfileobj(lines, out, COPY_BLOCK)
        (self.folder / spilled).unlink()

    @contextmanager
    def open_read(self, name: str) -> Iterator[BinaryIO | None]:
        try:
            handle = (self.folder / name).open("rb")
        except OSError:
            yield None
            return
        with handle:
            yield handle

    def remove_stale_temporaries(self) -> None:
        from .batch import remove_stale_temporaries

        remove_stale_temporaries(self.folder)

    @contextmanager
    def journal(self, name: str, resume: bool) -> Iterator[JournalFile]:
        with open(self.folder / name, "a+b" if resume else "w+b") as handle:
            yield _AppendedJournal(handle)

    def journal_files(self, name: str) -> list[str]:
        return [name] if (self.folder / name).is_file() else []

    def remove_journal(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)


class _AppendedJournal:
    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle

    def saved(self) -> None:
        self.handle.flush()


class FsspecStore(OutputStore):
    """A folder at an fsspec URL, treated as an object store: whole files, no rename, no
    append."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.filesystem, root = _url_to_fs(url)
        self.root = root.rstrip("/")

    def display(self, name: str) -> str:
        return f"{self.url}/{name}"

    def _path(self, name: str) -> str:
        return f"{self.root}/{name}"

    def prepare(self) -> None:
        bucket = self._bucket()
        if bucket is None:
            self.filesystem.makedirs(self.root, exist_ok=True)
        elif not self.filesystem.exists(bucket):
            # makedirs would create the bucket: a mistyped name must not make a new one.
            raise FileNotFoundError(
                errno.ENOENT, f"no bucket {bucket!r}, or no access to it (buckets are not created)"
            )

    def _bucket(self) -> str | None:
        """The bucket (container) of an object store's URL; None for a filesystem with
        folders. s3fs, gcsfs and adlfs name their buckets with `split_path`."""
        split_path = getattr(self.filesystem, "split_path", None)
        return str(split_path(self.root)[0]) if callable(split_path) else None

    def write_with(self, name: str, write: Writer) -> None:
        with tempfile.NamedTemporaryFile("w+b", prefix="zhextract-upload-") as staged:
            write(cast("BinaryIO", staged))  # all of it first: an object is uploaded whole
            size = staged.tell()
            if size <= UPLOAD_FROM_MEMORY_BYTES:
                staged.seek(0)
                data = staged.read()
                self._upload(name, lambda path: self.filesystem.pipe_file(path, data))
            else:
                staged.flush()
                self._upload(name, lambda path: self.filesystem.put_file(staged.name, path))

    def _upload(self, name: str, send: Callable[[str], object]) -> None:
        path = self._path(name)
        try:
            send(path)
        except FileNotFoundError:
            if self._bucket() is not None:
                raise
            # A filesystem with real folders (object stores have none): make the parent.
            self.filesystem.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            send(path)

    def spill(self, name: str, write: Writer) -> str:
        spilled = SPILL_NAME.format(name=name, token=secrets.token_hex(4))
        self.write_with(spilled, write)
        return spilled

    def take_spilled(self, spilled: str, out: BinaryIO) -> None:
        with self.filesystem.open(self._path(spilled), "rb") as lines:
            shutil.copyfileobj(lines, out, COPY_BLOCK)
        self.filesystem.rm_file(self._path(spilled))

    @contextmanager
    def open_read(self, name: str) -> Iterator[BinaryIO | None]:
        try:
            handle = self.filesystem.open(self._path(name), "rb")
        except OSError:
            yield None
            return
        with handle:
            yield handle

    @contextmanager
    def local_copy(self, name: str) -> Iterator[BinaryIO | None]:
        with self.open_read(name) as remote:
            if remote is None:
                yield None
                return
            with tempfile.TemporaryFile("w+b") as copy:
                shutil.copyfileobj(remote, copy, COPY_BLOCK)
                yield cast("BinaryIO", copy)

    def remove_stale_temporaries(self) -> None:
        """Delete long jsonl lines spilled for a client that was killed before it took them
        (an upload cut short leaves no object behind). On an object store only the names
        starting with "." are listed."""
        from .batch import is_our_temporary

        try:
            if self._bucket() is None:
                listed = self.filesystem.ls(self.root, detail=False)
            else:
                listed = self.filesystem.find(self.root, prefix=".")
        except (FileNotFoundError, NotADirectoryError):
            return
        top = self.root.lstrip("/") + "/"
        names = {path: path.lstrip("/").removeprefix(top) for path in map(str, listed)}
        # A name with "/" is in a subfolder, or not under the root at all.
        stale = [path for path, name in names.items() if "/" not in name and is_our_temporary(name)]
        if stale:
            self.filesystem.rm(stale)

    @contextmanager
    def journal(self, name: str, resume: bool) -> Iterator[JournalFile]:
        """A local temporary file, whose new lines go to the store as a new part now and
        then; on resume the earlier parts stay (`journal_files`)."""
        if not resume:
            self.remove_journal(name)
        parts = self._journal_parts(name)
        with tempfile.TemporaryFile("w+b") as handle:
            journal = _PartedJournal(
                self, name, _part_number(parts[-1]) + 1 if parts else 1, handle
            )
            try:
                yield journal
            finally:
                journal.write_part()

    def journal_files(self, name: str) -> list[str]:
        return [f"{name}/{part}" for part in self._journal_parts(name)]

    def remove_journal(self, name: str) -> None:
        if self._journal_parts(name):
            self.filesystem.rm(self._path(name), recursive=True)

    def _journal_parts(self, name: str) -> list[str]:
        """The names of the journal's parts, in order."""
        try:
            listed = self.filesystem.ls(self._path(name), detail=False)
        except (FileNotFoundError, NotADirectoryError):
            return []
        names = (str(path).rstrip("/").rsplit("/", 1)[-1] for path in listed)
        return sorted((name for name in names if _part_number(name) > 0), key=_part_number)


class _PartedJournal:
    """Journal lines in a local file, the new ones written to the store as a new part
    every JOURNAL_SECONDS."""

    def __init__(self, store: FsspecStore, name: str, number: int, handle: BinaryIO) -> None:
        self.store, self.name, self.number = store, name, number
        self.handle = handle
        self.part_start = 0  # where the lines not yet in a part begin
        self.written_at = time.monotonic()

    def saved(self) -> None:
        if time.monotonic() - self.written_at >= JOURNAL_SECONDS:
            self.write_part()

    def write_part(self) -> None:
        self.handle.flush()
        end = self.handle.seek(0, os.SEEK_END)
        if end > self.part_start:
            part = f"{self.name}/{JOURNAL_PART.format(number=self.number)}"
            self.store.write_with(part, self._copy_new_lines)
            self.number += 1
            self.part_start = end
        self.written_at = time.monotonic()

    def _copy_new_lines(self, out: BinaryIO) -> None:
        copy_range(self.handle, self.part_start, self.handle.seek(0, os.SEEK_END), out)


def copy_range(handle: BinaryIO, start: int, end: int, out: BinaryIO) -> None:
    """Bytes [start, end) of a local file to `out`, a block at a time; the file's position
    is left alone (another reader or the appending journal may be using it)."""
    descriptor = handle.fileno()
    while start < end:
        block = os.pread(descriptor, min(COPY_BLOCK, end - start), start)
        if not block:
            raise EOFError(f"{end - start} bytes missing from a file being copied")
        out.write(block)
        start += len(block)


def _part_number(name: str) -> int:
    """The number of a journal part's name, 0 for any other name."""
    stem, dot, suffix = name.partition(".")
    return int(stem) if dot and suffix == "jsonl" and stem.isdigit() else 0


def _url_to_fs(url: str) -> tuple[Any, str]:
    import fsspec

    filesystem, root = fsspec.core.url_to_fs(url)
    return filesystem, str(root)


def _protocols(filesystem: Any) -> tuple[str, ...]:
    protocol = filesystem.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)
