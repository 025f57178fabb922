"""What the commands tell a user: `show` on records.jsonl and `--id`, a failure's reason on
its own progress line, singular counts, empty runs, a missing pipeline file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from output_records import entity, make_record, write_outdir

from zhextract.batch import Outcome, Summary
from zhextract.cli import main
from zhextract.progress import summary_lines

FIRST = "外交部長訪問臺北。"
SECOND = "經濟部今天開會。"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    records = [
        make_record(FIRST, entities=[entity(FIRST, "外交部", "ORG")], path="a.txt"),
        make_record(SECOND, entities=[entity(SECOND, "經濟部", "ORG")], path="b.txt"),
    ]
    path = tmp_path / "records.jsonl"
    path.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), "utf-8"
    )
    return path


def ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text("utf-8").splitlines()]


def test_show_reads_every_record_of_a_records_jsonl(
    jsonl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "show", jsonl, "--plain")
    assert (code, err) == (0, "")
    assert "[外交部|ORG]長訪問臺北。" in out and "[經濟部|ORG]今天開會。" in out
    assert out.index("[外交部|ORG]") < out.index("[經濟部|ORG]")
    assert out.count("─" * 40) == 1


def test_show_id_picks_one_record(jsonl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    second = ids(jsonl)[1]
    code, out, _ = run_cli(capsys, "show", jsonl, "--id", second, "--plain")
    assert code == 0
    assert "[經濟部|ORG]今天開會。" in out and "外交部" not in out
    assert "─" * 40 not in out


def test_show_unknown_id_is_one_error_line(jsonl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "show", jsonl, "--id", "0" * 16) == (
        1,
        "",
        f"error: {jsonl}: no record with id '0000000000000000'\n",
    )


def test_show_reads_a_runs_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = make_record(FIRST, entities=[entity(FIRST, "外交部", "ORG")])
    outdir = write_outdir(tmp_path / "out", {"a.json": record})
    code, out, _ = run_cli(capsys, "show", outdir, "--plain")
    assert code == 0 and "[外交部|ORG]" in out


def test_a_failed_documents_line_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "in" / "b.pdf").write_bytes(b"not a pdf at all")
    code, _, err = run_cli(capsys, "run", tmp_path / "in", "-o", tmp_path / "out")
    assert code == 1
    progress = [line for line in err.splitlines() if line.startswith("[")]
    assert progress[0].endswith("a.txt: ok")
    assert progress[1].startswith(f"[2/2] {(tmp_path / 'in' / 'b.pdf').as_posix()}: failed: ")
    assert len(progress[1]) > len(f"[2/2] {(tmp_path / 'in' / 'b.pdf').as_posix()}: failed: ")


def test_one_document_is_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text(FIRST, encoding="utf-8")
    code, _, err = run_cli(capsys, "run", source, "-o", tmp_path / "out")
    assert code == 0
    assert err.splitlines()[-1].startswith("1 document: 1 ok, 0 failed, 0 skipped; ")


def test_summary_of_an_empty_and_of_an_instant_run() -> None:
    assert summary_lines(Summary("default", None), "out/run.json") == [
        "0 documents; summary in out/run.json"
    ]
    instant = Summary("default", None, outcomes=[Outcome("a.txt", "a.json", chars=5)])
    assert summary_lines(instant, "out/run.json") == [
        "1 document: 1 ok, 0 failed, 0 skipped; 5 chars in 0.00 s; summary in out/run.json"
    ]
    two = Summary("default", None, outcomes=[Outcome("a", "a"), Outcome("b", "b")], seconds=1.0)
    assert summary_lines(two, "run.json")[0].startswith("2 documents: 2 ok, ")


def test_a_missing_pipeline_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.txt"
    source.write_text(FIRST, encoding="utf-8")
    code, _, err = run_cli(capsys, "run", source, "-o", tmp_path / "out", "--pipeline", "my.cfg")
    assert (code, err) == (2, "zhextract run: error: --pipeline: no such file 'my.cfg'\n")
    code, _, err = run_cli(capsys, "run", source, "-o", tmp_path / "out", "--pipeline", "nope")
    assert code == 2 and err.startswith("zhextract run: error: cannot load pipeline 'nope': ")
