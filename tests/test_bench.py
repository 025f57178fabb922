"""The benchmark's sample text and its report."""

from __future__ import annotations

import re

import pytest

from zhextract.bench import DOC_CHARS, main, sample_documents, time_in_turns
from zhextract.pipeline import load


def test_sample_documents_reach_the_requested_size() -> None:
    documents = sample_documents(12_000)
    sizes = [len(text) for text in documents]
    assert sum(sizes) >= 12_000
    assert sum(sizes[:-1]) < 12_000  # no document more than needed
    assert all(0 < size <= DOC_CHARS for size in sizes)


def test_report_lists_every_stage_and_the_medians(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--chars", "1500", "--runs", "2"]) == 0
    report = capsys.readouterr().out
    chars = sum(len(text) for text in sample_documents(1500))
    assert report.startswith(f"text: {chars:,} chars in ")
    stages = re.findall(r"^  stage (\S+) +[\d,]+ chars/s  \([\d.]+ s\)$", report, re.MULTILINE)
    assert stages == [*load("default").stage_names, "records"]
    ratios = re.search(r"^speed-up over baseline: ([\d.]+)x \(each run: (.+)\)$", report, re.M)
    assert ratios is not None
    each = sorted(float(ratio.rstrip("x")) for ratio in ratios.group(2).split(", "))
    assert len(each) == 2
    assert float(ratios.group(1)) == pytest.approx(sum(each) / 2, abs=0.006)
    assert "(median of 2 runs)" in report
    assert re.search(r"^cold start \(import \+ load \+ first document\): [\d.]+ s", report, re.M)
    assert re.search(r"^peak RSS of this process: \d+ MB$", report, re.MULTILINE)


def test_turns_time_every_stage_within_the_pipeline_total() -> None:
    documents = sample_documents(1500)
    seconds, total, baseline = time_in_turns("default", documents, turn=1)
    assert list(seconds) == [*load("default").stage_names, "records"]
    assert all(value > 0 for value in seconds.values())
    assert sum(seconds.values()) <= total
    assert baseline > 0
