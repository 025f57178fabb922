"""Benchmark of the batch engines: `python -m zhextract.bench --engine dask [--chars N]
[--pipeline NAME] [--partition-bytes N]`.

The bench text (`bench.sample_documents`: documents of about 5,000 characters) is written to
a temporary folder as .txt files and run as one batch four times: the local engine with 1
and 2 processes, and Dask on a local cluster of 1 and 2 single-threaded worker processes.
Every run starts with its pipelines loaded (the local process's, or each worker's), so the
numbers are the steady throughput of a long batch; starting a cluster is timed apart. Then
Dask's own cost per task is measured on tasks with no document in them, and set against
the measured cost of a byte of input, to give the smallest partition that keeps that cost
under 5% of the work. The records of every run are checked to be the same bytes.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from distributed import Client

from .batch import WARM_UP_TEXT, Job, Settings, plan_jobs, run_batch
from .bench import sample_documents
from .dask_engine import (
    PARTITION_BYTES,
    DaskEngine,
    local_cluster,
    process_partition,
    worker_pipeline,
)
from .pipeline import load

OVERHEAD_SHARE = 0.05  # Dask's cost per task may take this share of the work
EMPTY_TASKS = 200  # tasks timed to measure that cost


@dataclass
class Measurement:
    name: str
    documents: int
    chars: int
    seconds: float

    def line(self) -> str:
        return (
            f"{self.name:<22} {self.documents / self.seconds:>8.1f} docs/s "
            f"{self.chars / self.seconds:>10,.0f} chars/s  ({self.seconds:.2f} s)"
        )


def run_engines(
    folder: Path, pipeline_name: str, partition_bytes: int
) -> tuple[list[Measurement], float, int]:
    """The four runs, Dask's seconds per empty task, and the input bytes."""
    jobs = plan_jobs([folder / "in"])
    input_bytes = sum(job.size for job in jobs)
    load(pipeline_name)(WARM_UP_TEXT)  # forked local workers inherit it, loaded and warm
    measurements: list[Measurement] = []
    reference: dict[str, bytes] | None = None
    for workers in (1, 2):
        outdir = folder / f"local-{workers}"
        measurements.append(_timed(f"local --jobs {workers}", jobs, pipeline_name, outdir, workers))
        reference = reference or _records(outdir)
    task_seconds = 0.0
    for workers in (1, 2):
        started = time.perf_counter()
        with local_cluster(workers) as cluster, Client(cluster) as client:
            client.run(_warm_up, pipeline_name)
            print(f"  dask cluster of {workers} started in {time.perf_counter() - started:.1f} s")
            engine = DaskEngine(client, partition_bytes)
            outdir = folder / f"dask-{workers}"
            name = f"dask, {workers} worker{'s' if workers > 1 else ''}"
            measurements.append(_timed(name, jobs, pipeline_name, outdir, engine=engine))
            if _records(outdir) != reference:
                raise SystemExit(f"{name}: the records differ from the local engine's")
            if workers == 1:
                task_seconds = _seconds_per_empty_task(client, pipeline_name, folder)
    return measurements, task_seconds, input_bytes


def _warm_up(pipeline_name: str) -> None:
    """Load the pipeline in a worker and run it once (dictionaries load on first use)."""
    worker_pipeline(pipeline_name)(WARM_UP_TEXT)


def _timed(
    name: str,
    jobs: list[Job],
    pipeline_name: str,
    outdir: Path,
    workers: int = 1,
    engine: DaskEngine | None = None,
) -> Measurement:
    started = time.perf_counter()
    summary = run_batch(jobs, pipeline_name, Settings(outdir), workers, engine=engine)
    seconds = time.perf_counter() - started
    return Measurement(name, len(summary.outcomes), summary.chars, seconds)


def _seconds_per_empty_task(client: Client, pipeline_name: str, folder: Path) -> float:
    """Dask's cost of one task (submit, schedule, run, return, collect) with no document in
    it, all tasks queued at once as in a long run, where workers never wait for the next."""
    settings = Settings(folder / "empty")
    groups = [
        [Job(None, f"empty-{number}", PurePosixPath(f"empty-{number}.json"), "none")]
        for number in range(EMPTY_TASKS)
    ]
    started = time.perf_counter()
    futures = client.map(
        process_partition,
        groups,
        pipeline_name=pipeline_name,
        settings=settings,
        previous=[None],
        pure=False,
    )
    client.gather(futures)
    return (time.perf_counter() - started) / EMPTY_TASKS


def _records(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.json"))
        if path.name != "run.json"
    }


def main(chars: int, pipeline_name: str, partition_bytes: int = PARTITION_BYTES) -> int:
    documents = sample_documents(chars)
    with tempfile.TemporaryDirectory(prefix="zhextract-bench-") as temporary:
        folder = Path(temporary)
        (folder / "in").mkdir()
        for number, text in enumerate(documents):
            (folder / "in" / f"doc{number:05d}.txt").write_text(text, encoding="utf-8")
        total = sum(len(text) for text in documents)
        print(
            f"text: {total:,} chars in {len(documents)} documents; pipeline {pipeline_name}; "
            f"Dask partitions of {partition_bytes:,} bytes"
        )
        measurements, task_seconds, input_bytes = run_engines(
            folder, pipeline_name, partition_bytes
        )
    for measurement in measurements:
        print(measurement.line())
    local_two, dask_two = measurements[1], measurements[3]
    print(f"dask 2 workers / local --jobs 2: {local_two.seconds / dask_two.seconds:.0%}")
    byte_seconds = measurements[0].seconds / input_bytes
    document_seconds = measurements[0].seconds / measurements[0].documents
    smallest = task_seconds / (OVERHEAD_SHARE * byte_seconds)
    print(
        f"cost of one document: {document_seconds * 1000:.1f} ms "
        f"({byte_seconds * 1e6:.2f} s per MB of input); "
        f"Dask's cost per task: {task_seconds * 1000:.1f} ms"
    )
    print(
        f"partitions of at least {smallest / 1024:,.0f} KiB keep Dask's cost under "
        f"{OVERHEAD_SHARE:.0%} of the work (this run: {partition_bytes / 1024:,.0f} KiB, "
        f"{task_seconds / (task_seconds + partition_bytes * byte_seconds):.1%})"
    )
    return 0
