"""Run a pipeline over many files: one JSON record per input, and a run summary.

Inputs are files or folders (walked recursively, sorted). Each record goes to OUTDIR under
the input's path relative to the folder it was found in (a file given by name goes to the
top), with `.json` in place of its suffix. Names that would clash, including with the
summary `run.json`, keep their suffix and gain a hash of the input path instead.
A bad file becomes a failure entry and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from .reading import DocumentError, read_path
from .record import dumps

INPUT_SUFFIXES = (".txt", ".md")
SUMMARY_NAME = "run.json"


@dataclass(frozen=True)
class Job:
    """One input file and where its record goes (`output` is relative to OUTDIR)."""

    path: Path
    display: str  # the input path as the user wrote it (POSIX separators)
    output: PurePosixPath
    error: str | None = None  # set when the input is known bad before it is read


@dataclass(frozen=True)
class Outcome:
    display: str
    output: str | None
    chars: int = 0
    error: str | None = None


@dataclass
class Summary:
    pipeline: str
    doc_date: str | None
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.error is not None]

    def to_json(self) -> dict[str, Any]:
        chars = sum(outcome.chars for outcome in self.outcomes)
        seconds = round(self.seconds, 3)
        return {
            "pipeline": self.pipeline,
            "doc_date": self.doc_date,
            "documents": len(self.outcomes),
            "ok": len(self.outcomes) - len(self.failures),
            "failed": [{"path": item.display, "reason": item.error} for item in self.failures],
            "records": [
                {"path": item.display, "record": item.output}
                for item in self.outcomes
                if item.error is None
            ],
            "chars": chars,
            "seconds": seconds,
            "chars_per_second": round(chars / seconds, 1) if seconds > 0 else None,
        }


# ---------------------------------------------------------------- planning


def plan_jobs(inputs: Iterable[str | Path]) -> list[Job]:
    """Jobs for the given files and folders, in argument order then sorted walk order."""
    jobs: list[Job] = []
    seen: set[Path] = set()
    for given in inputs:
        for path, relative, error in _expand(Path(given)):
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            output = PurePosixPath(relative).with_suffix(".json")
            jobs.append(Job(path, path.as_posix(), output, error))
    return _without_clashes(jobs)


def _expand(given: Path) -> Iterator[tuple[Path, PurePosixPath, str | None]]:
    if given.is_dir():
        for path in _walk(given):
            yield path, PurePosixPath(path.relative_to(given).as_posix()), None
        return
    relative = PurePosixPath(given.name)
    if not given.exists():
        yield given, relative, "no such file or directory"
    elif given.suffix.lower() not in INPUT_SUFFIXES:
        expected = " or ".join(INPUT_SUFFIXES)
        yield (
            given,
            relative,
            f"unsupported file type {given.suffix or '(none)'!r} (expected {expected})",
        )
    else:
        yield given, relative, None


def _walk(folder: Path) -> list[Path]:
    """Input files under `folder` in sorted path order; hidden files and folders are skipped."""
    found = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(root, name)
            if not name.startswith(".") and path.suffix.lower() in INPUT_SUFFIXES:
                found.append(path)
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
    return Job(job.path, job.display, output, job.error)


# ---------------------------------------------------------------- running

PipelineCall = Callable[..., dict[str, Any]]
_WORKER_PIPELINE: PipelineCall | None = None


def run_batch(
    jobs: list[Job],
    outdir: Path,
    pipeline_name: str,
    doc_date: dt.date | None = None,
    workers: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Summary:
    """Process every job, write records and `run.json` under `outdir`, and return the summary."""
    started = time.perf_counter()
    summary = Summary(pipeline_name, doc_date.isoformat() if doc_date else None)
    for outcome in _outcomes(jobs, outdir, pipeline_name, doc_date, workers):
        summary.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    summary.seconds = time.perf_counter() - started
    write_atomically(outdir / SUMMARY_NAME, _summary_text(summary))
    return summary


def _summary_text(summary: Summary) -> str:
    return json.dumps(summary.to_json(), ensure_ascii=False, indent=1) + "\n"


def _outcomes(
    jobs: list[Job], outdir: Path, pipeline_name: str, doc_date: dt.date | None, workers: int
) -> Iterator[Outcome]:
    if workers <= 1:
        _load_worker_pipeline(pipeline_name)
        for job in jobs:
            yield process_job(job, outdir, doc_date)
        return
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        initializer=_load_worker_pipeline,
        initargs=(pipeline_name,),
    )
    try:
        futures = [pool.submit(process_job, job, outdir, doc_date) for job in jobs]
        for job, future in zip(jobs, futures):
            yield _collect(job, future)
    finally:
        # On an interrupt, drop the queued documents instead of finishing them all.
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(job: Job, future: Future[Outcome]) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool:
        return Outcome(job.display, None, error="worker process died")


def _load_worker_pipeline(pipeline_name: str) -> None:
    """Process initializer: load the pipeline once per worker."""
    global _WORKER_PIPELINE
    from . import load

    _WORKER_PIPELINE = load(pipeline_name)


def process_job(job: Job, outdir: Path, doc_date: dt.date | None) -> Outcome:
    """Read, process and write one document; any failure becomes the outcome's error."""
    if job.error is not None:
        return Outcome(job.display, None, error=job.error)
    assert _WORKER_PIPELINE is not None, "pipeline not loaded in this process"
    try:
        text, source = read_path(job.path)
        source.path = job.display
        record = _WORKER_PIPELINE(text, doc_date=doc_date, source=source)
        write_atomically(outdir / job.output, dumps(record))
    except DocumentError as error:
        return Outcome(job.display, None, error=str(error))
    except Exception as error:  # a stage bug must not stop the batch
        return Outcome(job.display, None, error=one_line(f"{type(error).__name__}: {error}"))
    return Outcome(job.display, job.output.as_posix(), chars=len(text))


def one_line(message: str) -> str:
    return " ".join(message.split())


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file in the same folder and `os.replace`, so readers never see
    a partial file and a failed write leaves nothing behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with open(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _new_file_mode())  # mkstemp makes it owner-only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@cache
def _new_file_mode() -> int:
    """The mode `open()` gives new files: 0o666 less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
