"""Run a pipeline over many documents: one JSON record per input, and a run summary.

Inputs are files, folders (walked recursively, sorted), glob patterns (expanded here, so
`'docs/**/*.txt'` works whatever the shell does) and `-` for standard input. Each record
goes to OUTDIR under the input's path relative to the folder it was found in (a file
given by name goes to the top; a pattern's matches are relative to the pattern's fixed
leading folders; standard input becomes `stdin.json`), with `.json` in place of its
suffix. Names that would clash, including with the summary `run.json`, keep their suffix
and gain a hash of the input path instead. With the jsonl format all records go, one
per line in input order, to `records.jsonl`; while the run lasts, each new record line is
also appended to `records.jsonl.partial`, so a killed jsonl run keeps what it finished. A bad
file becomes a failure entry and the batch goes on.

OUTDIR may also be an fsspec URL (`s3://bucket/prefix/`, `memory://...`): every file is
written through an output store (zhextract.output_store), a local folder or a URL.
Every file is written atomically, so an interrupted run (even `kill -9`) leaves only
whole files; `resume` then skips the documents whose record is already there for the
same input bytes, pipeline, document date and left-out fields.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import io
import json
import multiprocessing
import os
import secrets
import signal
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO

from . import chunking
from .output_store import (
    JournalFile,
    OutputLocation,
    OutputStore,
    copy_range,
    in_process_memory,
    open_store,
)
from .reading import (
    SUPPORTED_SUFFIXES,
    DocumentError,
    UnsupportedTypeError,
    kind_of,
    read_document,
    read_file_bytes,
    sniff_kind,
)
from .resume import EarlierLines, EarlierRecord, EarlierRecords, Stamp, read_stamp
from .watchdog import DEFAULT_TIMEOUT, DocumentTimeout, become_worker, time_limit

if TYPE_CHECKING:
    from .doc import Source
    from .pipeline import Pipeline

SUMMARY_NAME = "run.json"
JSONL_NAME = "records.jsonl"
JOURNAL_NAME = JSONL_NAME + ".partial"  # jsonl lines made so far by an unfinished run
FORMATS = ("json", "jsonl")
STDIN = "-"
STDIN_DISPLAY = "<stdin>"
STDIN_OUTPUT = PurePosixPath("stdin.json")
GLOB_CHARS = frozenset("*?[")
TEMPORARY_SUFFIX = ".tmp"
WARM_UP_TEXT = "臺北市今天開會。"  # runs every stage once before workers are forked
IN_FLIGHT_PER_WORKER = 2  # documents submitted ahead, so no worker waits for the next


@dataclass(frozen=True)
class Job:
    """One input and where its record goes (`output` is relative to OUTDIR)."""

    path: Path | None  # None for standard input
    display: str  # the input path as the user wrote it (POSIX separators)
    output: PurePosixPath
    error: str | None = None  # set when the input is known bad before it is read
    data: bytes | None = None  # the content of standard input
    size: int = 0  # bytes, for the progress estimate

    @property
    def source_path(self) -> str | None:
        return None if self.path is None else self.display


@dataclass(frozen=True)
class Settings:
    """What every job of a run shares."""

    outdir: OutputLocation  # a local folder, or an fsspec URL (zhextract.output_store)
    doc_date: dt.date | None = None
    output_format: str = "json"
    resume: bool = False
    pipeline_overrides: tuple[tuple[str, str], ...] = ()  # (dotted setting path, value)
    omitted: tuple[str, ...] = ()  # record fields left out (record.OPTIONAL_FIELDS)
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per document; None: no limit

    @property
    def doc_date_text(self) -> str | None:
        return self.doc_date.isoformat() if self.doc_date else None

    @property
    def store(self) -> OutputStore:
        return open_store(self.outdir)


@dataclass(frozen=True)
class Outcome:
    display: str
    output: str | None
    chars: int = 0
    error: str | None = None
    skipped: bool = False  # resumed: the record already there is current
    line: str | None = None  # the record as one JSON line (jsonl format)
    earlier: EarlierRecord | None = None  # a resumed jsonl line: where it is
    # A long document's line, too big to pass around, is in this file under OUTDIR instead.
    line_file: str | None = None  # (in the output store)


@dataclass
class Summary:
    pipeline: str
    doc_date: str | None
    output_format: str = "json"
    omitted: tuple[str, ...] = ()
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False  # stopped by Ctrl-C or SIGTERM before every job was done

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.error is not None]

    @property
    def skipped(self) -> int:
        return sum(outcome.skipped for outcome in self.outcomes)

    @property
    def ok(self) -> int:
        return len(self.outcomes) - len(self.failures) - self.skipped

    @property
    def chars(self) -> int:
        return sum(outcome.chars for outcome in self.outcomes)

    @property
    def chars_per_second(self) -> float | None:
        seconds = round(self.seconds, 3)
        return round(self.chars / seconds, 1) if seconds > 0 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "doc_date": self.doc_date,
            "format": self.output_format,
            "omitted": list(self.omitted),
            "documents": len(self.outcomes),
            "ok": self.ok,
            "skipped": self.skipped,
            "failed": [{"path": item.display, "reason": item.error} for item in self.failures],
            "records": self._record_entries(),
            "chars": self.chars,
            "seconds": round(self.seconds, 3),
            "chars_per_second": self.chars_per_second,
            "interrupted": self.interrupted,
        }

    def _record_entries(self) -> list[dict[str, Any]]:
        written = [outcome for outcome in self.outcomes if outcome.error is None]
        if self.output_format == "jsonl":
            return [
                {"path": item.display, "record": JSONL_NAME, "line": number}
                for number, item in enumerate(written, start=1)
            ]
        return [{"path": item.display, "record": item.output} for item in written]


# ---------------------------------------------------------------- planning


def plan_jobs(inputs: Iterable[str | Path], stdin: BinaryIO | None = None) -> list[Job]:
    """Jobs for the given inputs, in argument order then sorted walk order; `-` reads
    `stdin` (once, however often it is given)."""
    jobs: list[Job] = []
    seen: set[Path | None] = set()
    for given in inputs:
        for job in _expand(str(given), stdin):
            key = None if job.path is None else job.path.resolve()
            if key in seen:
                continue
            seen.add(key)
            jobs.append(job)
    return _without_clashes(jobs)


def _expand(given: str, stdin: BinaryIO | None) -> Iterator[Job]:
    path = Path(given)
    if given == STDIN:
        yield _stdin_job(stdin)
    elif path.is_dir():
        yield from _folder_jobs(path, path)
    elif path.exists() or not GLOB_CHARS.intersection(given):
        yield _named_file_job(path)
    else:
        yield from _pattern_jobs(given)


def _stdin_job(stdin: BinaryIO | None) -> Job:
    if stdin is None:
        return Job(None, STDIN_DISPLAY, STDIN_OUTPUT, error="standard input is not available")
    data = stdin.read()
    return Job(None, STDIN_DISPLAY, STDIN_OUTPUT, data=data, size=len(data))


def _named_file_job(path: Path) -> Job:
    output = PurePosixPath(path.name).with_suffix(".json")
    if not path.exists():
        return Job(path, path.as_posix(), output, "no such file or directory")
    try:
        kind_of(path)
    except UnsupportedTypeError as error:
        return Job(path, path.as_posix(), output, str(error))
    return Job(path, path.as_posix(), output, size=_size(path))


def _folder_jobs(folder: Path, base: Path) -> Iterator[Job]:
    for path, error in _walk(folder):
        if error is None:
            yield _found_job(path, base)
        else:
            output = _confined(path, base).with_name(f"{path.name}.json")
            yield Job(path, path.as_posix(), output, f"cannot read folder: {error}")


def _found_job(path: Path, base: Path) -> Job:
    return Job(path, path.as_posix(), _confined(path, base).with_suffix(".json"), size=_size(path))


def _confined(path: Path, base: Path) -> PurePosixPath:
    """`path` relative to `base`, as a path that stays inside OUTDIR: `..` steps are
    resolved first (a pattern such as `*/../../*.txt` walks out of its base), and a path
    that still leaves the base keeps its name only (clashes are renamed later)."""
    relative = PurePosixPath(os.path.relpath(os.path.normpath(path), os.path.normpath(base)))
    parts = relative.parts
    if relative.is_absolute() or not parts or ".." in parts:
        return PurePosixPath(path.name or "input")
    return relative


def _pattern_jobs(pattern: str) -> Iterator[Job]:
    """Matches of a glob pattern (`**` spans folders); matched folders are walked. Like a
    folder walk, only supported types are taken, and hidden names are not matched."""
    base = _fixed_prefix(pattern)
    matches = sorted(_glob(pattern))
    found = False
    for path in matches:
        if path.is_dir():
            for job in _folder_jobs(path, base):
                found = True
                yield job
        elif path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
            found = True
            yield _found_job(path, base)
    if not found:
        output = PurePosixPath(Path(pattern).name).with_suffix(".json")
        yield Job(Path(pattern), pattern, output, "no input files match this pattern")


def _glob(pattern: str) -> Iterator[Path]:
    """Paths matching `pattern`, part by part: a part without wildcards is taken as it is
    (`..` too), `*`/`?`/`[...]` match the names of one folder (hidden ones only when the
    part starts with a dot), and `**` any number of folders below, never entering a
    symbolic link to a folder (a link to an ancestor would loop for ever)."""
    path = Path(pattern)
    if path.is_absolute():
        yield from _glob_parts(Path(path.anchor), list(path.parts[1:]))
    else:
        yield from _glob_parts(Path("."), list(path.parts))


def _glob_parts(folder: Path, parts: list[str]) -> Iterator[Path]:
    if not parts:
        yield folder
        return
    part, rest = parts[0], parts[1:]
    if part == "**":
        for below in _folders_below(folder):
            yield from _glob_parts(below, rest)
    elif not GLOB_CHARS.intersection(part):
        if os.path.lexists(folder / part):
            yield from _glob_parts(folder / part, rest)
    else:
        for name in _names(folder):
            hidden_ok = part.startswith(".") or not name.startswith(".")
            wanted = hidden_ok and fnmatch.fnmatchcase(name, part)
            if wanted and (not rest or (folder / name).is_dir()):
                yield from _glob_parts(folder / name, rest)


def _folders_below(folder: Path) -> Iterator[Path]:
    """`folder` and every folder under it, hidden ones and links to folders left out."""
    yield folder
    for name in _names(folder):
        below = folder / name
        if not name.startswith(".") and below.is_dir() and not below.is_symlink():
            yield from _folders_below(below)


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def _fixed_prefix(pattern: str) -> Path:
    """The leading folders of a glob pattern that hold no wildcard."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts[:-1]:
        if GLOB_CHARS.intersection(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _walk(folder: Path) -> list[tuple[Path, str | None]]:
    """Input files under `folder` in sorted path order, each with None, and each folder
    that cannot be listed with the reason; hidden files and folders are skipped, and
    links to folders are not followed."""
    found: list[tuple[Path, str | None]] = []

    def unreadable(error: OSError) -> None:
        found.append((Path(error.filename), error.strerror or str(error)))

    for root, folders, files in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(root, name)
            if not name.startswith(".") and path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append((path, None))
    return sorted(found)


def _without_clashes(jobs: list[Job]) -> list[Job]:
    """Rename outputs that clash (case-insensitively, as on macOS and Windows) until none do."""
    salt = 0
    while True:
        taken = Counter(_clash_key(job.output) for job in jobs)
        taken[_clash_key(PurePosixPath(SUMMARY_NAME))] += 1
        if all(taken[_clash_key(job.output)] == 1 for job in jobs):
            return jobs
        jobs = [job if taken[_clash_key(job.output)] == 1 else _renamed(job, salt) for job in jobs]
        salt += 1


def _clash_key(output: PurePosixPath) -> str:
    return output.as_posix().casefold()


def _renamed(job: Job, salt: int) -> Job:
    digest = hashlib.sha256(f"{salt}:{job.display}".encode()).hexdigest()[:8]
    original = PurePosixPath(job.display).name
    output = job.output.with_name(f"{original}-{digest}.json")
    return Job(job.path, job.display, output, job.error, job.data, job.size)


# ---------------------------------------------------------------- running

_WORKER_PIPELINE: Pipeline | None = None


# Runs the jobs (with where each one's line of an earlier jsonl run is, and its stamp) and
# yields their outcomes in job order: the local engine below, or zhextract.dask_engine's cluster.
Engine = Callable[[list[Job], str, Settings, EarlierRecords], Iterator[Outcome]]


def run_batch(
    jobs: list[Job],
    pipeline_name: str,
    settings: Settings,
    workers: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
    engine: Engine | None = None,
) -> Summary:
    """Process every job, write the records and `run.json` under the output folder, and
    return the summary. Without an `engine`, this process or a pool of `workers` runs them."""
    started = time.perf_counter()
    if engine is None and workers > 1 and in_process_memory(settings.outdir):
        raise ValueError(f"{settings.outdir} is in this process's memory: use one worker")
    store = settings.store
    store.remove_stale_temporaries()
    summary = Summary(
        pipeline_name, settings.doc_date_text, settings.output_format, settings.omitted
    )
    if engine is None:
        engine = partial(_outcomes, workers=workers)
    try:
        with _earlier_lines(settings) as earlier, _journal(settings, earlier) as journal:
            for outcome in engine(jobs, pipeline_name, settings, earlier.records):
                if journal is not None:
                    outcome = journal.add(outcome)
                summary.outcomes.append(outcome)
                if on_outcome is not None:
                    on_outcome(outcome)
            if journal is not None:
                store.write_with(JSONL_NAME, journal.copy_lines)
    except KeyboardInterrupt:
        # The records written so far stay (and the jsonl journal, for --resume); the
        # summary says what was done and that the run did not finish.
        summary.interrupted = True
        summary.seconds = time.perf_counter() - started
        store.write(SUMMARY_NAME, _summary_text(summary))
        raise
    if settings.output_format == "jsonl":
        store.remove_journal(JOURNAL_NAME)
    summary.seconds = time.perf_counter() - started
    store.write(SUMMARY_NAME, _summary_text(summary))
    return summary


class Journal:
    """The jsonl journal: each new record line is appended (and flushed) as its document
    finishes, so an interrupted run can be resumed; the summary keeps only where each
    line is, not the line, and records.jsonl is then copied from here in job order."""

    def __init__(self, file: JournalFile, store: OutputStore, earlier: EarlierLines) -> None:
        self._file = file
        self._handle = file.handle
        self._store = store
        self._earlier = earlier
        # A resumed line (where it is among the earlier lines), or a new one's (offset, length).
        self._order: list[EarlierRecord | tuple[int, int]] = []

    def add(self, outcome: Outcome) -> Outcome:
        """Journal the outcome's line; the outcome without it."""
        if outcome.skipped and outcome.earlier is not None:
            self._order.append(outcome.earlier)
            return outcome
        if outcome.line is None and outcome.line_file is None:
            return outcome
        offset = self._handle.seek(0, os.SEEK_END)
        if outcome.line is not None:
            self._handle.write(outcome.line.encode("utf-8"))
        else:
            assert outcome.line_file is not None
            self._store.take_spilled(outcome.line_file, self._handle)
        length = self._handle.tell() - offset
        self._handle.write(b"\n")
        self._file.saved()
        self._order.append((offset, length))
        return replace(outcome, line=None, line_file=None)

    def copy_lines(self, out: BinaryIO) -> None:
        """records.jsonl: every line, in the order the outcomes came."""
        self._handle.flush()
        for entry in self._order:
            if isinstance(entry, EarlierRecord):
                self._earlier.copy_line(entry, out)
            else:
                offset, length = entry
                copy_range(self._handle, offset, offset + length + 1, out)  # with its "\n"


@contextmanager
def _journal(settings: Settings, earlier: EarlierLines) -> Iterator[Journal | None]:
    """The jsonl journal, opened for appending (kept on --resume, else started afresh)."""
    if settings.output_format != "jsonl":
        yield None
        return
    store = settings.store
    with store.journal(JOURNAL_NAME, settings.resume) as file:
        yield Journal(file, store, earlier)


def _summary_text(summary: Summary) -> str:
    return json.dumps(summary.to_json(), ensure_ascii=False, indent=1) + "\n"


def _outcomes(
    jobs: list[Job],
    pipeline_name: str,
    settings: Settings,
    previous: EarlierRecords,
    workers: int,
) -> Iterator[Outcome]:
    def earlier(job: Job) -> EarlierRecord | None:
        return previous.get(job.source_path)

    if workers <= 1 or len(jobs) <= 1:
        _load_worker_pipeline(pipeline_name, settings.pipeline_overrides, in_worker=False)
        for job in jobs:
            yield process_job(job, settings, earlier(job))
        return
    if multiprocessing.get_start_method() == "fork":
        # Forked workers inherit a pipeline loaded and warmed up here (dictionaries read,
        # patterns compiled) instead of each spending a cold start on their own.
        _load_worker_pipeline(pipeline_name, settings.pipeline_overrides, in_worker=False)
        assert _WORKER_PIPELINE is not None
        with suppress(Exception):  # a stage bug is reported per document
            _WORKER_PIPELINE(WARM_UP_TEXT)
    yield from _pooled_outcomes(jobs, pipeline_name, settings, min(workers, len(jobs)), earlier)


def _pooled_outcomes(
    jobs: list[Job],
    pipeline_name: str,
    settings: Settings,
    workers: int,
    earlier: Callable[[Job], EarlierRecord | None],
) -> Iterator[Outcome]:
    """Outcomes in job order from a pool of worker processes. When a worker dies (killed,
    out of memory, over the hard time limit) the pool breaks and the documents then in
    flight are lost: a new pool takes over and runs each of them again, one at a time, so
    that a document breaking the pool a second time is the one at fault; it is reported
    failed and the rest of the batch goes on."""
    pool = _new_pool(pipeline_name, settings, workers)
    waiting = iter(jobs)
    in_flight: deque[tuple[Job, Future[Outcome]]] = deque()

    def fill() -> None:
        while len(in_flight) < IN_FLIGHT_PER_WORKER * workers:
            job = next(waiting, None)
            if job is None:
                return
            in_flight.append((job, pool.submit(process_job, job, settings, earlier(job))))

    def run_alone(job: Job) -> Outcome:
        nonlocal pool
        try:
            return pool.submit(process_job, job, settings, earlier(job)).result()
        except BrokenProcessPool:
            pool.shutdown(wait=True)
            pool = _new_pool(pipeline_name, settings, workers)
            return Outcome(job.display, None, error=WORKER_DIED)

    try:
        fill()
        while in_flight:
            job, future = in_flight[0]
            try:
                outcome = future.result()
            except BrokenProcessPool:
                lost = list(in_flight)
                in_flight.clear()
                pool.shutdown(wait=True)
                pool = _new_pool(pipeline_name, settings, workers)
                for lost_job, lost_future in lost:
                    finished = _finished_outcome(lost_future)
                    yield finished if finished is not None else run_alone(lost_job)
                fill()
                continue
            in_flight.popleft()
            fill()
            yield outcome
    finally:
        # Only a few documents are ever queued, so on an interrupt the running ones
        # finish and nothing needs cancelling (cancelling queued work can hang the pool).
        pool.shutdown(wait=True)


def _finished_outcome(future: Future[Outcome]) -> Outcome | None:
    """The outcome of a document that finished before its pool broke, else None."""
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return None


def _new_pool(pipeline_name: str, settings: Settings, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        initializer=_load_worker_pipeline,
        initargs=(pipeline_name, settings.pipeline_overrides),
    )


WORKER_DIED = (
    "the worker process died while processing it, twice "
    "(killed, out of memory, or stuck past the time limit)"
)


def _load_worker_pipeline(
    pipeline_name: str, overrides: tuple[tuple[str, str], ...] = (), in_worker: bool = True
) -> None:
    """Process initializer: load the pipeline once per process."""
    global _WORKER_PIPELINE
    from . import load

    if in_worker:
        # Ctrl-C reaches the whole process group; the main process alone handles it,
        # letting running documents finish and dropping the queued ones.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # A forked worker inherits the main process's SIGTERM handler; the pool's own
        # terminate() must end a worker at once.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        become_worker()
    _WORKER_PIPELINE = load(pipeline_name, dict(overrides))


def process_job(
    job: Job,
    settings: Settings,
    previous: EarlierRecord | None = None,
    pipeline: Pipeline | None = None,
) -> Outcome:
    """Read, process and write one document; any failure becomes the outcome's error.
    `previous` is where the document's line of an earlier jsonl run is, with its stamp
    (jsonl resume); the pipeline is the one loaded for this process unless given."""
    if job.error is not None:
        return Outcome(job.display, None, error=job.error)
    if pipeline is None:
        pipeline = _WORKER_PIPELINE
    assert pipeline is not None, "pipeline not loaded in this process"
    jsonl = settings.output_format == "jsonl"
    try:
        data = job.data if job.data is not None else read_file_bytes(_input_path(job))
        if settings.resume:
            stamp = previous.stamp if previous else _record_stamp(settings.store, job.output)
            if stamp is not None and _is_current(stamp, data, job, pipeline, settings):
                output = JSONL_NAME if jsonl else job.output.as_posix()
                return Outcome(job.display, output, skipped=True, earlier=previous)
        kind = sniff_kind(data) if job.path is None else kind_of(job.path)
        with time_limit(settings.timeout):
            text, source = read_document(data, job.source_path, kind)
            write = partial(_write_record, pipeline, text, source, settings)
            if jsonl and len(text) > chunking.CHUNK_CHARS:
                spilled = settings.store.spill(job.output.name, write)
                return Outcome(job.display, JSONL_NAME, chars=len(text), line_file=spilled)
            if jsonl:
                buffer = io.BytesIO()
                write(buffer)
                line = buffer.getvalue().decode("utf-8")
                return Outcome(job.display, JSONL_NAME, chars=len(text), line=line)
            # A long document's record is written while its chunks are processed.
            settings.store.write_with(job.output.as_posix(), write)
    except DocumentError as error:
        return Outcome(job.display, None, error=str(error))
    except DocumentTimeout:
        return Outcome(job.display, None, error=f"took longer than {settings.timeout:g} s")
    except Exception as error:  # a stage bug must not stop the batch
        return Outcome(job.display, None, error=one_line(f"{type(error).__name__}: {error}"))
    return Outcome(job.display, job.output.as_posix(), chars=len(text))


def _write_record(
    pipeline: Pipeline, text: str, source: Source, settings: Settings, handle: BinaryIO
) -> None:
    """The record of `text` as UTF-8 to `handle`: a record file, or one JSON line for jsonl."""
    out = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
    pipeline.write(
        text,
        out,
        doc_date=settings.doc_date,
        source=source,
        omitted=settings.omitted,
        line=settings.output_format == "jsonl",
    )
    out.detach()  # flushes; the handle stays open for its owner


def _input_path(job: Job) -> Path:
    assert job.path is not None
    return job.path


def _is_current(
    stamp: Stamp, data: bytes, job: Job, pipeline: Pipeline, settings: Settings
) -> bool:
    """Whether an existing record is what this run would write: same input bytes, same
    pipeline name and version, same document date, fields and source path."""
    return stamp == Stamp(
        job.source_path,
        hashlib.sha256(data).hexdigest(),
        {"name": pipeline.name, "version": pipeline.version},
        settings.doc_date_text,
        tuple(settings.omitted),
    )


def _record_stamp(store: OutputStore, output: PurePosixPath) -> Stamp | None:
    with store.open_read(output.as_posix()) as handle:
        return None if handle is None else read_stamp(handle)


def _earlier_lines(settings: Settings) -> EarlierLines:
    """For a jsonl resume: the record lines of the existing records.jsonl and of an
    unfinished run's journal, by source path (none otherwise)."""
    if not (settings.resume and settings.output_format == "jsonl"):
        return EarlierLines()
    store = settings.store
    return EarlierLines.read(store, [JSONL_NAME, *store.journal_files(JOURNAL_NAME)])


def one_line(message: str) -> str:
    return " ".join(message.split())


# ---------------------------------------------------------------- writing


def write_atomically(path: Path, content: str) -> None:
    """Write `content` so that `path` is either the old file or the whole new one, even if
    the process is killed (see `write_atomically_with`)."""
    data = content.encode("utf-8")  # fails before anything touches the disk
    write_atomically_with(path, lambda handle: handle.write(data))


def write_atomically_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Make `path` the bytes `write` writes to the handle it is given, atomically: they go
    to an unnamed file (Linux O_TMPFILE), which gets a name only for the instant before
    `os.replace`; elsewhere to a hidden temporary file. If `write` raises, `path` is as
    it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not _write_via_unnamed_file(path, write):
        _write_via_temporary_file(path, write)


def _write_via_unnamed_file(path: Path, write: Callable[[BinaryIO], object]) -> bool:
    """False when the system cannot make unnamed files here (or name them: no /proc)."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return False
    try:
        descriptor = os.open(path.parent, flag | os.O_RDWR, 0o666)
    except OSError:
        return False
    try:
        if not os.path.exists(f"/proc/self/fd/{descriptor}"):
            return False  # fall back to a named temporary file before anything is written
        _write_all(descriptor, write)
        temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
        try:
            os.link(f"/proc/self/fd/{descriptor}", temporary)
        except OSError:  # the bytes are written: copy them rather than write them again
            _write_via_temporary_file(path, partial(_copy_from, descriptor))
            return True
        try:
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    finally:
        os.close(descriptor)
    return True


def _write_via_temporary_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX
    )
    try:
        try:
            _write_all(descriptor, write)
        finally:
            os.close(descriptor)
        os.chmod(temporary, _new_file_mode())  # mkstemp makes it owner-only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _copy_from(descriptor: int, handle: BinaryIO) -> None:
    offset = 0
    while block := os.pread(descriptor, 1 << 20, offset):
        handle.write(block)
        offset += len(block)


def _write_all(descriptor: int, write: Callable[[BinaryIO], object]) -> None:
    with os.fdopen(descriptor, "wb", closefd=False) as handle:
        write(handle)
    os.fsync(descriptor)


def remove_stale_temporaries(outdir: Path) -> list[Path]:
    """Delete the hidden temporary files a killed run may have left in `outdir`."""
    stale = [
        path
        for path in outdir.rglob(f".*{TEMPORARY_SUFFIX}")
        if path.is_file() and is_our_temporary(path.name)
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def is_our_temporary(name: str) -> bool:
    """`.<record name>.<random part>.tmp`, as written by `write_atomically`, or
    `.<record name>.<random part>.line.tmp`, a long jsonl line spilled for the journal."""
    if not (name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)):
        return False
    stem = name[1 : -len(TEMPORARY_SUFFIX)].removesuffix(".line")
    record, _, random_part = stem.rpartition(".")
    return record.endswith((".json", ".jsonl")) and random_part != ""


@cache
def _new_file_mode() -> int:
    """The mode `open()` gives new files: 0o666 less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
