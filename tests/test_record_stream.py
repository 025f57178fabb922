"""A long document's record written chunk by chunk: the same bytes as the record of the
joined document, without ever holding the joined document."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

import zhextract
from zhextract import chunking, pipeline
from zhextract.batch import Settings, plan_jobs, run_batch
from zhextract.doc import Doc
from zhextract.record import dumps, omit_fields, to_record

REPORT = "經濟部今（3）日公布，1月外銷訂單金額達新臺幣1,234.5億元，年增12.5%。"
QUOTE = "部長王美花表示，預計下週三與美方展開第17回合磋商。"


def expected_bytes(text: str, omitted: tuple[str, ...] = (), line: bool = False) -> str:
    loaded = zhextract.load("default")
    doc = Doc.from_text(text, doc_date=dt.date(2025, 3, 3))
    record = omit_fields(to_record(loaded.process(doc), loaded.name, loaded.version), omitted)
    if line:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return dumps(record)


def streamed(text: str, omitted: tuple[str, ...] = (), line: bool = False) -> str:
    out = io.StringIO()
    zhextract.load("default").write(text, out, doc_date="2025-03-03", omitted=omitted, line=line)
    return out.getvalue()


TEXTS = {
    "paragraphs": "發布日期：2025-03-03\n\n" + "\n\n".join([REPORT, QUOTE] * 6),
    # One line cut at sentence ends: its paragraph continues across several chunks.
    "one line": (REPORT + QUOTE) * 8,
    "line breaks only": "\r\n".join([REPORT, QUOTE] * 5),
    # Runs of blank space make chunks whose text is empty.
    "blank chunks": REPORT + "\n" + " " * 500 + "\n\n" + QUOTE + "\n" + "\u3000" * 300 + REPORT,
    "cut at the limit": "臺北市" * 150 + "\n" + "一二三" * 90,
}


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunking, "CHUNK_CHARS", 120)


@pytest.mark.parametrize("name", TEXTS)
@pytest.mark.parametrize("line", [False, True])
def test_streamed_bytes_equal_the_joined_record(small_chunks: None, name: str, line: bool) -> None:
    text = TEXTS[name]
    assert len(list(chunking.chunk_bounds(text, 120))) > 2  # really in chunks
    assert streamed(text, line=line) == expected_bytes(text, line=line)


@pytest.mark.parametrize("omitted", [("tokens",), ("meta", "paragraphs", "facts")])
def test_omitted_fields_are_left_out_as_omit_fields_does(
    small_chunks: None, omitted: tuple[str, ...]
) -> None:
    text = TEXTS["paragraphs"]
    written = streamed(text, omitted)
    assert written == expected_bytes(text, omitted)
    assert json.loads(written)["omitted"] == list(omitted)


def test_a_long_text_is_never_joined_in_memory(
    small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def joined(*_args: object) -> None:
        raise AssertionError("the whole document was joined")

    text = TEXTS["paragraphs"]
    expected = expected_bytes(text)
    monkeypatch.setattr(pipeline, "process_in_chunks", joined)
    assert streamed(text) == expected
    with pytest.raises(AssertionError, match="joined"):
        streamed(REPORT)  # a short text is processed whole, as before


def test_facts_of_later_chunks_point_at_their_own_figures(small_chunks: None) -> None:
    record = json.loads(streamed(TEXTS["paragraphs"]))
    assert len(record["facts"]) > 6
    for fact in record["facts"]:
        figure = record["figures"][fact["figure"]]
        # A fact's predicate and subject come just before its figure, in the same sentence.
        assert fact["subject"]["end"] <= fact["predicate"]["start"] < figure["start"]
        assert figure["start"] - fact["predicate"]["end"] < 10
        if fact["time"] is not None:
            assert record["dates"][fact["time"]["date"]]["start"] == fact["time"]["start"]


def test_a_long_text_over_the_limit_is_a_clean_error(small_chunks: None) -> None:
    loaded = zhextract.load("default")
    limit, loaded.max_chars = loaded.max_chars, 200
    try:
        with pytest.raises(ValueError, match="over the limit of 200"):
            loaded.write("一" * 201, io.StringIO())
    finally:
        loaded.max_chars = limit


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_the_batch_writes_long_records_as_they_are_made(
    small_chunks: None, tmp_path: Path, output_format: str
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    texts = {"long.txt": TEXTS["paragraphs"], "short.txt": REPORT, "one.txt": TEXTS["one line"]}
    for name, text in texts.items():
        (inputs / name).write_text(text, encoding="utf-8")
    outdir = tmp_path / "out"
    outdir.mkdir()
    settings = Settings(outdir=outdir, doc_date=dt.date(2025, 3, 3), output_format=output_format)
    summary = run_batch(plan_jobs([inputs]), "default", settings)
    assert summary.ok == 3
    if output_format == "json":
        written = [json.loads((outdir / f"{Path(name).stem}.json").read_text()) for name in texts]
        assert {path.name for path in outdir.iterdir()} == {
            "run.json",
            "long.json",
            "short.json",
            "one.json",
        }
    else:
        lines = (outdir / "records.jsonl").read_text(encoding="utf-8").splitlines()
        # In job order; no spilled lines, no journal, no temporary files left behind.
        texts = {name: texts[name] for name in sorted(texts)}
        written = [json.loads(line) for line in lines]
        assert {path.name for path in outdir.iterdir()} == {"run.json", "records.jsonl"}
    for record, text in zip(written, texts.values()):
        whole = dict(zhextract.load("default")(text, doc_date="2025-03-03"))
        assert {**record, "source": None} == {**whole, "source": None}
