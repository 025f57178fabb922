"""What --resume reads of an earlier record: its stamp, from the record's two ends only;
and a jsonl run's earlier lines, indexed where they are, never loaded whole."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from test_batch import output_files, read_summary
from test_cli import run_cli

import zhextract
from zhextract import resume
from zhextract.output_store import LocalStore
from zhextract.record import dumps, omit_fields
from zhextract.resume import EarlierLines, Stamp, line_places, read_stamp

TEXT = '經濟部今（5）日表示，"omitted": ["tokens"]} 出口成長3.5%。'


def record(text: str = TEXT, omitted: tuple[str, ...] = ()) -> dict[str, Any]:
    made = zhextract.load("fast")(text, doc_date="2025-03-05")
    return omit_fields(made, omitted)


def stamp_of(made: dict[str, Any]) -> Stamp:
    return Stamp(
        made["source"]["path"],
        made["source"]["sha256"],
        made["pipeline"],
        made["doc_date"],
        tuple(made.get("omitted", ())),
    )


def as_line(made: dict[str, Any]) -> str:
    return json.dumps(made, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("omitted", [(), ("tokens",), ("tokens", "facts")])
@pytest.mark.parametrize("layout", ["pretty", "line"])
def test_the_stamp_is_the_records_own_fields(omitted: tuple[str, ...], layout: str) -> None:
    made = record(omitted=omitted)
    text = dumps(made) if layout == "pretty" else as_line(made)
    assert read_stamp(io.BytesIO(text.encode("utf-8"))) == stamp_of(made)


class CountingReader(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_a_long_record_is_read_at_its_two_ends_only() -> None:
    made = record(TEXT * 4000, omitted=("facts",))  # a record of several megabytes
    data = dumps(made).encode("utf-8")
    reader = CountingReader(data)
    assert read_stamp(reader) == stamp_of(made)
    assert len(data) > 50 * (resume.HEAD_BYTES + resume.TAIL_BYTES)
    assert reader.bytes_read == resume.HEAD_BYTES + resume.TAIL_BYTES


@pytest.mark.parametrize(
    "damaged",
    [
        b"",
        b"not json",
        b'{"source": ',
        b'{"schema_version": "1.1", "source": {"path": "a.txt"}, "te',  # cut in the head
        b'{"source": {"path": "a.txt"}, "text": "abc", "spans": [1, 2',  # cut in the tail
        b'["source", "text"]',
        b'{"source": "a.txt", "text": ""}',  # source is not an object
        b'{"source": {"path": ["a.txt"]}, "text": ""}',  # a path that is not a string
        b'{"source": {"path": "a.txt"} "text": ""}',  # a missing comma
    ],
)
def test_damaged_records_have_no_stamp(damaged: bytes) -> None:
    assert read_stamp(io.BytesIO(damaged)) is None


def test_omitted_is_read_only_as_the_records_last_field() -> None:
    nested = b'{"source": {"path": "a"}, "text": "", "meta": {"omitted": ["x"]}}'
    assert read_stamp(io.BytesIO(nested)) == Stamp("a", None, None, None, ())
    last = b'{"source": {"path": "a"}, "text": "", "meta": {}, "omitted" : ["tokens"] }\n'
    assert read_stamp(io.BytesIO(last)) == Stamp("a", None, None, None, ("tokens",))


def test_line_places_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resume, "SCAN_BYTES", 3)
    data = b"ab\n\ncdefgh\nij\n\n\nklm"
    places = list(line_places(io.BytesIO(data)))
    assert [data[start:end] for start, end in places] == [b"ab", b"cdefgh", b"ij", b"klm"]


def test_earlier_lines_index_places_and_copy_lines_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resume, "SCAN_BYTES", 64)  # lines longer than a block
    first, second = record("甲。" * 100), record("乙。")
    first["source"]["path"], second["source"]["path"] = "a.txt", "b.txt"
    newer = dict(second, doc_date="2025-03-06")
    (tmp_path / "records.jsonl").write_text(
        f"{as_line(first)}\n{{damaged\n{as_line(second)}", encoding="utf-8"
    )
    (tmp_path / "journal.jsonl").write_text(f"{as_line(newer)}\n", encoding="utf-8")
    store = LocalStore(tmp_path)
    with EarlierLines.read(store, ["records.jsonl", "journal.jsonl", "missing.jsonl"]) as earlier:
        assert sorted(earlier.records) == ["a.txt", "b.txt"]
        assert earlier.records["b.txt"].stamp == stamp_of(newer)  # the journal is newer
        out = io.BytesIO()
        earlier.copy_line(earlier.records["a.txt"], out)
        earlier.copy_line(earlier.records["b.txt"], out)
    assert out.getvalue().decode("utf-8") == f"{as_line(first)}\n{as_line(newer)}\n"


def test_a_jsonl_resume_with_long_lines_gives_the_same_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resume, "SCAN_BYTES", 1024)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number in range(4):
        (inputs / f"doc{number}.txt").write_text(f"第{number}段。" * 300, encoding="utf-8")
    outdir = tmp_path / "out"
    common = ["--pipeline", "fast", "--format", "jsonl"]
    run_cli(capsys, "run", inputs, "-o", outdir, *common)
    first = output_files(outdir)
    (inputs / "doc2.txt").write_text("改過的文字。", encoding="utf-8")
    code, _, _ = run_cli(capsys, "run", inputs, "-o", outdir, *common, "--resume")
    assert code == 0
    assert read_summary(outdir)["skipped"] == 3
    fresh = tmp_path / "fresh"
    run_cli(capsys, "run", inputs, "-o", fresh, *common)
    assert output_files(outdir) == output_files(fresh) != first
