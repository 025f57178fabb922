"""Benchmark: `python -m zhextract.bench [--chars N] [--pipeline NAME] [--runs N]`
(`--engine dask`: the batch engines instead, see zhextract.bench_engines).

Prints chars/s for each stage and for the whole pipeline (normalize through records), the
cold start of a fresh process, peak RSS, and in the same run the hand-rolled baseline
(OpenCC t2s + jieba.posseg) on the same text. The text is the bundled corpus (and the
user's seed where present) repeated to the requested size, cut into documents of about
5,000 characters as a batch would see them. Baseline and pipeline take turns every ten
documents, so that both meet the same load on a shared machine; with `--runs N`
everything is measured N times and medians are printed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .doc import Doc
from .pipeline import Pipeline, load
from .record import dumps, to_record

REPO = Path(__file__).resolve().parents[2]
DOC_CHARS = 5000
TURN_DOCUMENTS = 10  # baseline and pipeline take turns every this many documents


def sample_documents(total_chars: int) -> list[str]:
    sources = sorted((REPO / "corpus").glob("*.txt"))
    seed = REPO.parent / "shared" / "seeds" / "000_beb807c6142ff2a5.txt"
    if seed.is_file():
        sources.append(seed)
    texts = [path.read_text(encoding="utf-8") for path in sources]
    if not texts:
        raise SystemExit("no sample text: corpus/ is empty")
    documents, size, index = [], 0, 0
    while size < total_chars:
        text = texts[index % len(texts)]
        documents.append(text[:DOC_CHARS])
        size += len(documents[-1])
        index += 1
    return documents


def time_stages(pipeline_name: str, documents: list[str]) -> tuple[dict[str, float], float]:
    """Seconds spent in each stage and in writing records, over all documents."""
    pipeline = _warm_pipeline(pipeline_name)
    seconds = _no_seconds(pipeline)
    return seconds, _run_stages(pipeline, documents, seconds)


def time_baseline(documents: list[str]) -> float:
    """OpenCC t2s + jieba.posseg, the hand-rolled pipeline users would otherwise write."""
    return _run_baseline(_baseline_cut(), documents)


def time_in_turns(
    pipeline_name: str, documents: list[str], turn: int = TURN_DOCUMENTS
) -> tuple[dict[str, float], float, float]:
    """`time_stages` and `time_baseline` (seconds per stage, pipeline seconds, baseline
    seconds), the two taking turns every `turn` documents: on a shared machine the load
    changes within a run, and a ratio of two timings taken minutes apart varies with it."""
    pipeline = _warm_pipeline(pipeline_name)
    cut = _baseline_cut()
    seconds = _no_seconds(pipeline)
    total = baseline = 0.0
    for begin in range(0, len(documents), turn):
        part = documents[begin : begin + turn]
        baseline += _run_baseline(cut, part)
        total += _run_stages(pipeline, part, seconds)
    return seconds, total, baseline


def _warm_pipeline(pipeline_name: str) -> Pipeline:
    pipeline = load(pipeline_name)
    pipeline("暖身。")  # load dictionaries and models before timing
    return pipeline


def _no_seconds(pipeline: Pipeline) -> dict[str, float]:
    seconds = {name: 0.0 for name, _ in pipeline._stages}
    seconds["records"] = 0.0
    return seconds


def _run_stages(pipeline: Pipeline, documents: list[str], seconds: dict[str, float]) -> float:
    """Run every document through the pipeline, adding each stage's time to `seconds`;
    the wall time of the whole."""
    started = time.perf_counter()
    for text in documents:
        doc = Doc.from_text(text)
        for name, stage in pipeline._stages:
            begin = time.perf_counter()
            stage(doc)
            seconds[name] += time.perf_counter() - begin
        begin = time.perf_counter()
        dumps(to_record(doc, pipeline.name, pipeline.version))
        seconds["records"] += time.perf_counter() - begin
    return time.perf_counter() - started


def _baseline_cut() -> Callable[[str], object]:
    import logging

    import jieba
    import jieba.posseg
    import opencc

    jieba.setLogLevel(logging.WARNING)
    converter = opencc.OpenCC("t2s")

    def cut(text: str) -> object:
        return list(jieba.posseg.cut(converter.convert(text)))

    cut("暖身。")
    return cut


def _run_baseline(cut: Callable[[str], object], documents: list[str]) -> float:
    started = time.perf_counter()
    for text in documents:
        cut(text)
    return time.perf_counter() - started


def cold_start_seconds(pipeline_name: str) -> float:
    """Wall time of a fresh interpreter that imports zhextract and extracts one sentence."""
    code = f"import zhextract; zhextract.load({pipeline_name!r})('臺北市今天開會。')"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.bench")
    parser.add_argument("--chars", type=int, default=1_000_000, help="text size (default 1 MB)")
    parser.add_argument("--pipeline", default="default")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="measure this many times and print medians "
        "(timings on a shared machine vary from run to run)",
    )
    parser.add_argument(
        "--engine",
        choices=["stages", "dask"],
        default="stages",
        help="stages: this benchmark; dask: docs/s and chars/s of the local engine with 1 "
        "and 2 processes and of Dask with 1 and 2 workers (zhextract.bench_engines)",
    )
    parser.add_argument(
        "--partition-bytes", type=int, default=None, help="with --engine dask: input bytes per task"
    )
    args = parser.parse_args(argv)
    if args.engine == "dask":
        from . import bench_engines, dask_engine

        partition_bytes = args.partition_bytes or dask_engine.PARTITION_BYTES
        return bench_engines.main(args.chars, args.pipeline, partition_bytes)
    documents = sample_documents(args.chars)
    chars = sum(len(text) for text in documents)
    print(f"text: {chars:,} chars in {len(documents)} documents")
    colds, baselines, stage_runs, totals = [], [], [], []
    for _ in range(max(args.runs, 1)):
        colds.append(cold_start_seconds(args.pipeline))
        stages, total, baseline = time_in_turns(args.pipeline, documents)
        stage_runs.append(stages)
        totals.append(total)
        baselines.append(baseline)
    note = f" (median of {len(totals)} runs)" if len(totals) > 1 else ""
    for name in stage_runs[0]:
        seconds = statistics.median(run[name] for run in stage_runs)
        print(f"  stage {name:<12} {chars / max(seconds, 1e-9):>14,.0f} chars/s  ({seconds:.2f} s)")
    total, baseline = statistics.median(totals), statistics.median(baselines)
    print(f"pipeline (all stages + records): {chars / total:,.0f} chars/s ({total:.2f} s){note}")
    print(
        f"baseline (OpenCC t2s + jieba.posseg): {chars / baseline:,.0f} chars/s "
        f"({baseline:.2f} s){note}"
    )
    ratios = [before / after for before, after in zip(baselines, totals)]
    each = f" (each run: {', '.join(f'{ratio:.2f}x' for ratio in ratios)})" if note else ""
    print(f"speed-up over baseline: {statistics.median(ratios):.2f}x{each}")
    cold = statistics.median(colds)
    print(f"cold start (import + load + first document): {cold:.2f} s{note}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
