"""`validate_outputs`: every record file under OUTDIR is checked; one line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from output_records import entity, make_record, write_outdir

from zhextract.outputs import load_outputs
from zhextract.validate_dir import output_problems, validate_outputs

TEXT = "臺北市政府今天宣布新政策。"


def good_record() -> dict:
    return make_record(TEXT, entities=[entity(TEXT, "臺北市政府", "ORG")])


def test_valid_outputs_exit_zero_and_print_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_outdir(tmp_path, {"a.json": good_record(), "sub/b.json": good_record()})
    assert validate_outputs(tmp_path) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "2 record(s) checked, 0 problem(s)\n"


def test_each_problem_is_one_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shifted = good_record()
    shifted["entities"][0]["start"] += 1
    missing_id = good_record()
    del missing_id["id"]
    write_outdir(
        tmp_path, {"ok.json": good_record(), "x/shifted.json": shifted, "y.json": missing_id}
    )
    (tmp_path / "z.json").write_text("{not json", encoding="utf-8")
    assert validate_outputs(tmp_path) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "x/shifted.json: entities/0: text[1:5] != '臺北市政府'",
        "y.json: <root>: 'id' is a required property",
        lines[2],
    ]
    assert lines[2].startswith("z.json: cannot read JSON: ")


def test_run_summary_is_not_checked_as_a_record(tmp_path: Path) -> None:
    write_outdir(tmp_path, {"a.json": good_record()}, failed=[{"path": "b.txt", "reason": "x"}])
    assert output_problems(tmp_path) == (1, [])


def test_non_object_json_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    assert output_problems(tmp_path) == (1, ["list.json: expected a JSON object, got list"])


def test_empty_or_missing_directory_fails(tmp_path: Path) -> None:
    assert output_problems(tmp_path) == (0, [f"{tmp_path}: no record files (*.json) found"])
    missing = tmp_path / "nope"
    assert validate_outputs(missing) == 1
    assert output_problems(missing) == (0, [f"{missing}: not a directory"])


def test_records_written_as_json_lines_are_read_and_validated(tmp_path: Path) -> None:
    from zhextract.cli import main

    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("臺北市今天開會。", encoding="utf-8")
    (source / "b.txt").write_text("日本將對美投資1兆美元。", encoding="utf-8")
    outdir = tmp_path / "out"
    assert main(["run", str(source), "-o", str(outdir), "--format", "jsonl"]) == 0
    outputs = load_outputs(outdir)
    assert [item.path for item in outputs.records] == ["records.jsonl:1", "records.jsonl:2"]
    assert validate_outputs(outdir) == 0
