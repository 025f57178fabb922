"""Benchmark: `python -m zhextract.bench [--chars N] [--pipeline NAME]`.

Prints chars/s for each stage and for the whole pipeline (normalize through records), the
cold start of a fresh process, peak RSS, and in the same run the hand-rolled baseline
(OpenCC t2s + jieba.posseg) on the same text. The text is the bundled corpus (and the
user's seed where present) repeated to the requested size, cut into documents of about
5,000 characters as a batch would see them.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from .doc import Doc
from .pipeline import load
from .record import dumps, to_record

REPO = Path(__file__).resolve().parents[2]
DOC_CHARS = 5000


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
    pipeline = load(pipeline_name)
    pipeline("暖身。")  # load dictionaries and models before timing
    seconds: dict[str, float] = {name: 0.0 for name, _ in pipeline._stages}
    seconds["records"] = 0.0
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
    return seconds, time.perf_counter() - started


def time_baseline(documents: list[str]) -> float:
    """OpenCC t2s + jieba.posseg, the hand-rolled pipeline users would otherwise write."""
    import logging

    import jieba
    import jieba.posseg
    import opencc

    jieba.setLogLevel(logging.WARNING)
    converter = opencc.OpenCC("t2s")
    list(jieba.posseg.cut(converter.convert("暖身。")))
    started = time.perf_counter()
    for text in documents:
        list(jieba.posseg.cut(converter.convert(text)))
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
    args = parser.parse_args(argv)
    documents = sample_documents(args.chars)
    chars = sum(len(text) for text in documents)
    print(f"text: {chars:,} chars in {len(documents)} documents")
    cold = cold_start_seconds(args.pipeline)
    baseline = time_baseline(documents)
    stages, total = time_stages(args.pipeline, documents)
    for name, seconds in stages.items():
        print(f"  stage {name:<12} {chars / max(seconds, 1e-9):>14,.0f} chars/s  ({seconds:.2f} s)")
    print(f"pipeline (all stages + records): {chars / total:,.0f} chars/s ({total:.2f} s)")
    print(
        f"baseline (OpenCC t2s + jieba.posseg): {chars / baseline:,.0f} chars/s ({baseline:.2f} s)"
    )
    print(f"speed-up over baseline: {baseline / total:.2f}x")
    print(f"cold start (import + load + first document): {cold:.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
