"""The same batch on a Dask cluster: `zhextract run PATH... -o OUTDIR --engine dask`.

Needs the `dask` extra (`pip install 'zhextract[dask]'`; `zhextract[dask,s3]` for s3://).
Without a scheduler address a `LocalCluster` with one single-threaded worker process per
core is started; with one (`tcp://HOST:8786`) the run goes to that cluster, whose workers
must have zhextract installed and see local inputs and a local OUTDIR at the same paths (a
shared folder), or be given them as fsspec URLs.

`DaskEngine` is an engine for `batch.run_batch`: the jobs are cut into partitions of about
`partition_bytes` input bytes (not a number of documents, so one huge PDF does not hold a
partition of small files hostage) and each partition is one task, `process_partition`, which
reads, processes and writes its documents with `batch.process_job`, exactly as the local
engine does. Records go through the run's output store (zhextract.output_store), written by
the worker that made them: atomically renamed into a folder, or uploaded whole to an object
store (`s3://bucket/prefix/`; never `memory://`, which lives in the client alone). Outcomes
come back to the client, which yields them in job order as tasks complete (the progress
line, records.jsonl and its journal follow that order), so the output bytes are those of a
local run. A worker that dies loses nothing: Dask runs its tasks again elsewhere, and they
write the same bytes again. Each worker process loads a pipeline once (`worker_pipeline`, a
per-process cache), never once per document.

The per-document time limit (`--timeout`) holds in the worker threads where Dask runs tasks:
`watchdog.time_limit` raises the timeout there from a timer thread, since SIGALRM reaches
only a main thread, and in worker processes under a nanny adds the hard CPU limit for code
that never returns to Python (the kernel ends the worker, the nanny starts another).

Inputs may be local paths or fsspec URLs (`s3://bucket/prefix/`, `gcs://...`, `file://...`,
`memory://...`); a URL folder is walked like a local one and a URL may hold a glob pattern.
Workers read URL inputs themselves, except for filesystems that live in the client's own
memory (`memory://`), whose bytes the client sends with the task.

For other programs, `extract_bag` maps a pipeline over a `dask.bag.Bag` of texts (or of
paths and URLs) and gives a bag of records, and `write_records` writes such a bag, one
JSON-lines file per partition, each written whole by the worker that made it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any, BinaryIO

import dask
import dask.bag
import fsspec
from distributed import Client, Future, LocalCluster, as_completed, get_worker
from distributed.scheduler import KilledWorker

from .batch import (
    GLOB_CHARS,
    IN_FLIGHT_PER_WORKER,
    Job,
    Outcome,
    Settings,
    _without_clashes,
    plan_jobs,
    process_job,
)
from .output_store import (
    IN_MEMORY_PROTOCOLS,
    URL_MARK,
    OutputLocation,
    in_process_memory,
    is_url,
    open_store,
    output_location,
)
from .reading import (
    SUPPORTED_SUFFIXES,
    DocumentError,
    UnsupportedTypeError,
    kind_of,
    read_document,
    read_file_bytes,
)
from .resume import EarlierRecord, EarlierRecords
from .watchdog import enable_hard_limits

if TYPE_CHECKING:
    from dask.delayed import Delayed

    from .pipeline import Pipeline
    from .types import Record

# About 0.3 s of the default pipeline's work on one core of the bench machine, against
# Dask's 3-4 ms per task, and enough tasks that no worker waits idle at the end of a run
# (64 KiB: 85% of the local engine's speed on two cores, 16 KiB: 96%; README, "Scaling out").
PARTITION_BYTES = 16 * 1024
# Filesystems held in the client process's memory: workers cannot see them.
CLIENT_MEMORY_PROTOCOLS = IN_MEMORY_PROTOCOLS
THREADS_RECOUNT_SECONDS = 1.0
READING_THREADS = 8  # URL inputs of a partition fetched at once
# Dask starts worker processes with MALLOC_TRIM_THRESHOLD_=65536, handing freed memory back
# to the system at once; the pipeline allocates and frees so much that this made it about
# 1.5x slower on the bench machine. Workers of a remote cluster need the same setting in
# their Dask configuration (README, "Scaling out").
# Dask's statistical profiler also samples every worker thread's stack each 10 ms, taking
# the GIL from the document being processed.
WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}
WORKER_DIED = "worker process died"  # the local engine's words for the same event
PART_NAME = "part-{index:05d}.jsonl"

_PROCESS_LOCK = threading.Lock()


# ---------------------------------------------------------------- inputs and outputs


def plan_inputs(inputs: Iterable[str | Path], stdin: BinaryIO | None = None) -> list[Job]:
    """`batch.plan_jobs` for inputs that may also be fsspec URLs (folders, files or glob
    patterns); without URLs, exactly `plan_jobs`."""
    given = [str(item) for item in inputs]
    if not any(is_url(item) for item in given):
        return plan_jobs(given, stdin)
    jobs: list[Job] = []
    seen: set[str] = set()
    for item in given:
        planned = _url_jobs(item) if is_url(item) else plan_jobs([item], stdin)
        for job in planned:
            key = (
                job.display if job.path is None or is_url(job.display) else str(job.path.resolve())
            )
            if key not in seen:
                seen.add(key)
                jobs.append(job)
    return _without_clashes(jobs)


def output_folder(given: str | Path) -> OutputLocation:
    """OUTDIR for the cluster's workers: a local or shared folder (a path or a file:// URL)
    or an fsspec URL such as s3://bucket/prefix/. A memory:// folder lives in this process
    alone, where no worker can write, and is refused with a ValueError."""
    location = output_location(given)
    if in_process_memory(location):
        raise ValueError(
            f"{str(given)!r} lives in this process's memory, which Dask workers cannot see: "
            "write to a shared folder or an object store"
        )
    return location


def _url_jobs(url: str) -> list[Job]:
    filesystem, root = fsspec.core.url_to_fs(url)
    root = root.rstrip("/") or root
    prefix = url.rstrip("/")
    if GLOB_CHARS.intersection(root):
        return _url_pattern_jobs(filesystem, url, root)
    if filesystem.isdir(root):
        return _url_folder_jobs(filesystem, prefix, root)
    name = PurePosixPath(root).name
    output = PurePosixPath(name).with_suffix(".json")
    if not filesystem.isfile(root):
        return [Job(Path(url), url, output, "no such file or directory")]
    try:
        kind_of(name)
    except UnsupportedTypeError as error:
        return [Job(Path(url), url, output, str(error))]
    return [_url_job(filesystem, url, root, output, filesystem.size(root) or 0)]


def _url_folder_jobs(filesystem: Any, prefix: str, root: str) -> list[Job]:
    found = filesystem.find(root, detail=True)
    jobs = []
    for path in sorted(found):
        relative = path[len(root) :].lstrip("/")
        if _is_input_name(relative):
            output = PurePosixPath(relative).with_suffix(".json")
            size = found[path].get("size") or 0
            jobs.append(_url_job(filesystem, f"{prefix}/{relative}", path, output, size))
    return jobs


def _url_pattern_jobs(filesystem: Any, url: str, pattern: str) -> list[Job]:
    """Matches of a glob pattern in a URL, relative to its fixed leading folders."""
    parts = PurePosixPath(pattern).parts
    fixed = []
    for part in parts[:-1]:
        if GLOB_CHARS.intersection(part):
            break
        fixed.append(part)
    base = "/".join(fixed).replace("//", "/")
    url_base = url[: url.index(URL_MARK) + len(URL_MARK)] + base.lstrip("/")
    jobs: list[Job] = []
    for match in sorted(filesystem.glob(pattern)):
        relative = match[len(base) :].lstrip("/")
        if filesystem.isdir(match):
            jobs.extend(_url_folder_jobs(filesystem, f"{url_base}/{relative}", match))
        elif _is_input_name(PurePosixPath(relative).name):
            output = PurePosixPath(relative).with_suffix(".json")
            size = filesystem.size(match) or 0
            jobs.append(_url_job(filesystem, f"{url_base}/{relative}", match, output, size))
    if not jobs:
        output = PurePosixPath(PurePosixPath(pattern).name).with_suffix(".json")
        return [Job(Path(url), url, output, "no input files match this pattern")]
    return jobs


def _url_job(filesystem: Any, url: str, path: str, output: PurePosixPath, size: int) -> Job:
    """A job whose `path` holds the URL (for its suffix); its bytes are read by the worker,
    or here when the filesystem lives in this process's memory."""
    if not CLIENT_MEMORY_PROTOCOLS.intersection(_protocols(filesystem)):
        return Job(Path(url), url, output, size=size)
    try:
        data = filesystem.cat_file(path)
    except OSError as error:
        return Job(Path(url), url, output, _read_error(error))
    return Job(Path(url), url, output, data=data, size=len(data))


def _is_input_name(relative: str) -> bool:
    """As a local folder walk: supported suffixes, no hidden files or folders."""
    parts = PurePosixPath(relative).parts
    return (
        bool(parts)
        and not any(part.startswith(".") for part in parts)
        and PurePosixPath(relative).suffix.lower() in SUPPORTED_SUFFIXES
    )


def _protocols(filesystem: Any) -> tuple[str, ...]:
    protocol = filesystem.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def read_url_bytes(url: str) -> bytes:
    """The bytes at an fsspec URL; a failure is a DocumentError worded as for local files."""
    try:
        with fsspec.open(url, "rb") as handle:
            data: bytes = handle.read()
            return data
    except OSError as error:
        raise DocumentError(_read_error(error)) from None


def _read_error(error: OSError) -> str:
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if isinstance(error, FileNotFoundError):
        return "cannot read file: No such file or directory"
    return f"cannot read file: {error.strerror or error}"


# ---------------------------------------------------------------- on the workers


def worker_pipeline(pipeline_name: str, overrides: tuple[tuple[str, str], ...] = ()) -> Pipeline:
    """The pipeline, loaded once in each worker process (`load` keeps it for the process)."""
    from . import load

    return load(pipeline_name, dict(overrides))


def process_partition(
    jobs: Sequence[Job],
    pipeline_name: str,
    settings: Settings,
    previous: Sequence[EarlierRecord | None],
) -> list[Outcome]:
    """One task: each job as the local engine runs it (`batch.process_job`), records written
    atomically here on the worker. `previous` says where each job's earlier jsonl line is
    and what it was made from, if there is one."""
    jobs = _with_bytes(jobs)  # outside the lock: a worker's other threads work meanwhile
    _limit_cpu_under_a_nanny()
    # Stages keep per-process state (dictionaries, caches) and the work holds the GIL, so a
    # worker with several threads runs one document at a time.
    with _PROCESS_LOCK:
        pipeline = worker_pipeline(pipeline_name, settings.pipeline_overrides)
        return [
            process_job(job, settings, earlier, pipeline) for job, earlier in zip(jobs, previous)
        ]


@cache
def _limit_cpu_under_a_nanny() -> None:
    """Documents get the hard CPU limit (watchdog.time_limit) in a worker process that a
    nanny watches: when the kernel ends it, the nanny starts another and Dask runs its
    tasks again; a worker without a nanny (or a thread of the client) is not ended so."""
    try:
        worker = get_worker()
    except ValueError:
        return
    if worker.nanny is not None:
        enable_hard_limits()


def _with_bytes(jobs: Sequence[Job]) -> list[Job]:
    """The jobs, URL ones with their bytes (or their read error); the files are fetched a few
    at a time, since an object store answers each request after tens of milliseconds."""
    if sum(_needs_reading(job) for job in jobs) <= 1:
        return [_with_bytes_of(job) for job in jobs]
    with ThreadPoolExecutor(READING_THREADS) as pool:
        return list(pool.map(_with_bytes_of, jobs))


def _needs_reading(job: Job) -> bool:
    return job.data is None and job.error is None and is_url(job.display)


def _with_bytes_of(job: Job) -> Job:
    if not _needs_reading(job):
        return job
    try:
        return dataclasses.replace(job, data=read_url_bytes(job.display))
    except DocumentError as error:
        return dataclasses.replace(job, error=str(error))


# ---------------------------------------------------------------- the engine


def partitions(jobs: Sequence[Job], partition_bytes: int = PARTITION_BYTES) -> list[list[Job]]:
    """Consecutive jobs grouped into runs of at most `partition_bytes` input bytes; a larger
    document is a partition of its own."""
    groups: list[list[Job]] = []
    current: list[Job] = []
    size = 0
    for job in jobs:
        if current and size + job.size > partition_bytes:
            groups.append(current)
            current, size = [], 0
        current.append(job)
        size += job.size
    if current:
        groups.append(current)
    return groups


class DaskEngine:
    """An engine for `batch.run_batch` that runs the jobs on the cluster behind `client`."""

    def __init__(self, client: Client, partition_bytes: int | None = None) -> None:
        self.client = client
        self.partition_bytes = partition_bytes or PARTITION_BYTES
        self._thread_count = 0
        self._threads_asked_at = -math.inf

    def __call__(
        self,
        jobs: list[Job],
        pipeline_name: str,
        settings: Settings,
        previous: EarlierRecords,
    ) -> Iterator[Outcome]:
        # Workers may run in another folder or on another machine.
        settings = dataclasses.replace(settings, outdir=_absolute_folder(settings.outdir))
        groups = partitions([_absolute(job) for job in jobs], self.partition_bytes)
        run_id = uuid.uuid4().hex[:12]
        waiting = iter(enumerate(groups))
        running: dict[Hashable, tuple[int, Future]] = {}
        completed = as_completed()
        done: dict[int, list[Outcome]] = {}

        def submit_next() -> bool:
            item = next(waiting, None)
            if item is None:
                return False
            index, group = item
            earlier = [previous.get(job.source_path) for job in group]
            future = self.client.submit(
                process_partition,
                group,
                pipeline_name,
                settings,
                earlier,
                key=f"zhextract-{run_id}-{index}",
                priority=-index,  # earlier partitions first: outcomes are yielded in order
            )
            running[future.key] = (index, future)
            completed.add(future)
            return True

        try:
            self._fill(running, submit_next)
            next_index = 0
            for future in completed:
                index, _ = running.pop(future.key)
                try:
                    done[index] = future.result()
                except KilledWorker:
                    done[index] = self._one_by_one(groups[index], pipeline_name, settings, previous)
                future.release()
                self._fill(running, submit_next)
                while next_index in done:
                    yield from done.pop(next_index)
                    next_index += 1
        finally:
            self.client.cancel([future for _, future in running.values()])
        # A worker killed between naming and renaming its temporary file leaves it behind.
        settings.store.remove_stale_temporaries()

    def _one_by_one(
        self,
        group: list[Job],
        pipeline_name: str,
        settings: Settings,
        previous: EarlierRecords,
    ) -> list[Outcome]:
        """Outcomes of a partition whose workers kept dying (Dask gave up on it): each
        document runs again in a task of its own, one after the other, so that only the
        one killing its worker fails; the others were maybe just queued beside it."""
        outcomes = []
        for job in group:
            future = self.client.submit(
                process_partition,
                [job],
                pipeline_name,
                settings,
                [previous.get(job.source_path)],
                pure=False,
                priority=1,  # ahead of the partitions queued meanwhile
            )
            try:
                outcomes.extend(future.result())
            except KilledWorker:
                outcomes.append(Outcome(job.display, None, error=WORKER_DIED))
        return outcomes

    def _fill(
        self, running: dict[Hashable, tuple[int, Future]], submit_next: Callable[[], bool]
    ) -> None:
        """Keep a few partitions queued per worker thread, so none waits for the next."""
        wanted = IN_FLIGHT_PER_WORKER * max(self._threads(), 1)
        while len(running) < wanted and submit_next():
            pass

    def _threads(self) -> int:
        """The cluster's worker threads, asked again now and then: it may grow or shrink."""
        now = time.monotonic()
        if now - self._threads_asked_at > THREADS_RECOUNT_SECONDS:
            self._thread_count = sum(self.client.nthreads().values())
            self._threads_asked_at = now
        return self._thread_count


def _absolute_folder(outdir: OutputLocation) -> OutputLocation:
    location = output_folder(outdir)  # a memory:// folder raises
    return location.absolute() if isinstance(location, Path) else location


def _absolute(job: Job) -> Job:
    if job.path is None or is_url(job.display) or job.path.is_absolute():
        return job
    return dataclasses.replace(job, path=job.path.absolute())


def local_worker_count() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


@contextmanager
def dask_client(scheduler: str | None = None, stream: IO[str] | None = None) -> Iterator[Client]:
    """A client of the scheduler at `scheduler`, or of a new local cluster with one
    single-threaded worker process per core; where the cluster is and its dashboard link
    (when it has one) go to `stream`."""
    if scheduler is not None:
        with Client(scheduler) as client:
            _announce(client, stream, dashboard=True)  # the scheduler's machine may have bokeh
            yield client
        return
    dashboard = _has_dashboard()
    with local_cluster(dashboard=dashboard) as cluster, Client(cluster) as client:
        _announce(client, stream, dashboard)
        yield client


@contextmanager
def local_cluster(workers: int | None = None, dashboard: bool = False) -> Iterator[LocalCluster]:
    """A cluster on this machine, open for the context: `workers` single-threaded worker
    processes (default one per core), started with `WORKER_CONFIG`. The configuration holds
    in this process while the cluster is open, as a worker that replaces a dead one reads
    it then."""
    with (
        dask.config.set(WORKER_CONFIG),
        LocalCluster(
            n_workers=workers or local_worker_count(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":8787" if dashboard else None,
        ) as cluster,
    ):
        yield cluster


def _has_dashboard() -> bool:
    """Dask's dashboard needs bokeh, which the `dask` extra does not pull in."""
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def _announce(client: Client, stream: IO[str] | None, dashboard: bool) -> None:
    """The scheduler's address and worker count, and the dashboard link when there is a
    dashboard (the scheduler's web server runs without one, for its health checks)."""
    if stream is None:
        return
    info = client.scheduler_info()
    line = f"dask: scheduler {info.get('address', '?')}, {len(info.get('workers', {}))} workers"
    if dashboard and "dashboard" in info.get("services", {}):
        line += f", dashboard {client.dashboard_link}"
    print(line, file=stream)


# ---------------------------------------------------------------- library


def extract_bag(
    documents: dask.bag.Bag,
    pipeline: str = "default",
    *,
    paths: bool = False,
    doc_date: str | dt.date | None = None,
    overrides: dict[str, str] | None = None,
) -> dask.bag.Bag:
    """A bag of records, one per document of `documents`: texts, or with `paths=True` local
    paths and fsspec URLs read as `zhextract run` reads them (text, HTML or PDF by suffix).
    Each worker process loads the pipeline once. A document that cannot be read or processed
    raises, as `zhextract.extract` does; `zhextract run --engine dask` reports such
    documents and goes on instead."""
    settings = tuple(sorted((overrides or {}).items()))
    return documents.map_partitions(_extract_partition, pipeline, settings, paths, doc_date)


def _extract_partition(
    documents: Iterable[str],
    pipeline_name: str,
    overrides: tuple[tuple[str, str], ...],
    paths: bool,
    doc_date: str | dt.date | None,
) -> list[Record]:
    with _PROCESS_LOCK:
        pipeline = worker_pipeline(pipeline_name, overrides)
        if not paths:
            return [pipeline(text, doc_date=doc_date) for text in documents]
        records = []
        for path in documents:
            data = read_url_bytes(path) if is_url(path) else read_file_bytes(path)
            text, source = read_document(data, path, kind_of(path))
            records.append(pipeline(text, doc_date=doc_date, source=source))
        return records


def write_records(
    records: dask.bag.Bag, outdir: str | Path, *, compute: bool = True
) -> list[str] | list[Delayed]:
    """Write a bag of records to `outdir` (a path or fsspec URL), one `part-NNNNN.jsonl` per
    partition with one record per line, each file written whole by the worker that made
    it (atomic rename on local and shared folders; a single upload on object stores).
    Returns the files written, or with `compute=False` the tasks that write them."""
    target = str(outdir)
    writes = [
        dask.delayed(_write_part, pure=False)(part, target, PART_NAME.format(index=index))
        for index, part in enumerate(records.to_delayed())
    ]
    if not compute:
        return writes
    return list(dask.compute(*writes))


def _write_part(records: Iterable[dict[str, Any]], outdir: str, name: str) -> str:
    content = "".join(
        json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n" for record in records
    )
    open_store(output_location(outdir)).write(name, content)
    return f"{outdir.rstrip('/')}/{name}" if is_url(outdir) else (Path(outdir) / name).as_posix()
