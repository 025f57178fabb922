"""Long documents processed in chunks: one record, offsets exact, the same findings as
the whole document where no chunk boundary cuts through them."""

from __future__ import annotations

import pytest

import zhextract
from zhextract import chunking
from zhextract.chunking import chunk_bounds
from zhextract.record import offset_errors

PARAGRAPH = "行政院今天宣布，明年度總預算增加五百億元。經濟部表示，1月出口成長12.5%。"


def test_bounds_cover_the_text_and_prefer_paragraph_breaks() -> None:
    raw = "\n\n".join([PARAGRAPH] * 40)
    bounds = list(chunk_bounds(raw, 500))
    assert bounds[0][0] == 0 and bounds[-1][1] == len(raw)
    assert all(end == next_start for (_, end), (next_start, _) in zip(bounds, bounds[1:]))
    assert all(end - start <= 500 for start, end in bounds)
    assert all(raw[end - 2 : end] == "\n\n" for _, end in bounds[:-1])


def test_bounds_fall_back_to_sentences_then_to_the_limit() -> None:
    sentences = PARAGRAPH * 30
    assert all(sentences[end - 1] == "。" for _, end in list(chunk_bounds(sentences, 300))[:-1])
    dashes = "-" * 1000
    assert list(chunk_bounds(dashes, 300)) == [(0, 300), (300, 600), (600, 900), (900, 1000)]


def test_a_short_text_is_one_chunk() -> None:
    assert list(chunk_bounds(PARAGRAPH, 500)) == [(0, len(PARAGRAPH))]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunking, "CHUNK_CHARS", 200)


def test_a_chunked_record_equals_the_whole_one(small_chunks: None) -> None:
    raw = "發布日期：2025-02-07\n\n" + "\n\n".join(
        f"{PARAGRAPH}明年3月起實施第{index}項。" for index in range(12)
    )
    chunked = zhextract.extract(raw)
    chunking.CHUNK_CHARS = 10**9
    whole = zhextract.extract(raw)
    assert offset_errors(chunked) == []
    assert chunked["text"] == whole["text"]
    for name in ("paragraphs", "sentences", "figures", "dates", "facts"):
        assert chunked[name] == whole[name], name
    assert len(chunked["facts"]) > 12  # facts of every chunk, not only the first
    # Relative dates in later chunks still resolve against the date stated up front.
    assert chunked["dates"][-1]["value"] == "2026-03"


def test_a_chunked_text_without_breaks_keeps_exact_offsets(small_chunks: None) -> None:
    raw = "臺北市" * 300 + "\r\n" + "一二三" * 100
    record = zhextract.extract(raw)
    assert offset_errors(record) == []
    assert "".join(token["text"] for token in record["tokens"]) == record["text"].replace("\n", "")
    for token in record["tokens"]:
        assert raw[token["source_start"] : token["source_end"]] == token["text"]


def test_a_text_over_the_limit_is_a_clean_error() -> None:
    pipeline = zhextract.load("default")
    limit = pipeline.max_chars
    pipeline.max_chars = 10
    try:
        with pytest.raises(ValueError, match="over the limit of 10"):
            pipeline("一" * 11)
        assert pipeline("一" * 10)["text"] == "一" * 10
    finally:
        pipeline.max_chars = limit


def test_a_line_cut_at_sentence_ends_stays_one_line_and_paragraph(small_chunks: None) -> None:
    raw = PARAGRAPH * 20
    record = zhextract.extract(raw)
    assert record["text"] == raw
    assert [(item["start"], item["end"]) for item in record["paragraphs"]] == [(0, len(raw))]
    assert offset_errors(record) == []


def test_later_chunks_keep_the_time_of_day_of_the_doc_date(small_chunks: None) -> None:
    raw = "\n\n".join([PARAGRAPH] * 8) + "\n\n颱風預計3小時後登陸。"
    record = zhextract.extract(raw, "2025-08-01T09:00")
    assert [(d["text"], d["value"]) for d in record["dates"]][-1] == ("3小時後", "2025-08-01T12:00")
