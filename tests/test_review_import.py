"""`zhextract import-review`: exported tasks, edited as a reviewer would, come back as
schema-valid records with the corrected spans and the values of the spans kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from output_records import entity, figure, locate, make_record, span, write_outdir

from zhextract.cli import main
from zhextract.export import export_outputs
from zhextract.record import validate
from zhextract.review_import import import_review

# Characters outside the BMP before the spans, so UTF-16 and code point offsets differ.
TEXT = "😀𡘙日本政府2025年4月宣布投資1兆美元，美國等三國表示歡迎。"


def original() -> dict[str, Any]:
    return make_record(
        TEXT,
        entities=[entity(TEXT, "日本", "GPE"), entity(TEXT, "美國", "GPE")],
        figures=[figure(TEXT, "1兆美元", "MONEY", 1000000000000, "USD")],
        dates=[span(TEXT, "2025年4月", value="2025-04")],
        path="news/a.txt",
    )


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return write_outdir(tmp_path / "run", {"a.json": original()})


def utf16(text: str, start: int, end: int) -> tuple[int, int]:
    return len(text[:start].encode("utf-16-le")) // 2, len(text[:end].encode("utf-16-le")) // 2


def imported(outdir: Path) -> dict[str, Any]:
    (path,) = outdir.glob("*.json")
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return record


def surfaces(record: dict[str, Any], name: str) -> list[tuple[str, str]]:
    return [(item["text"], item.get("label", "")) for item in record[name]]


def edit_doccano(path: Path) -> None:
    """As a reviewer would: delete 日本 and 美國 (GPE), add 日本政府 (ORG), a DATE and a
    QUANTITY."""
    (row,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    row["label"] = [label for label in row["label"] if label[2] != "GPE"]
    row["label"].append([*utf16(TEXT, *locate(TEXT, "日本政府")), "ORG"])
    row["label"].append([*utf16(TEXT, *locate(TEXT, "歡迎")), "DATE"])
    row["label"].append([*utf16(TEXT, *locate(TEXT, "三國")), "QUANTITY"])
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")


def check_corrected(record: dict[str, Any]) -> None:
    assert validate(record) == []
    assert record["text"] == TEXT
    assert surfaces(record, "entities") == [("日本政府", "ORG")]
    assert record["entities"][0]["source"] == "review"
    # Kept spans keep their values; a date added in review has none, and says so.
    money, added = record["figures"]
    assert (money["text"], money["value"], money["unit"]) == ("1兆美元", 1000000000000, "USD")
    assert (added["text"], added["label"], added["value"], added["low"]) == (
        "三國",
        "QUANTITY",
        None,
        None,
    )
    assert [(date["text"], date["value"]) for date in record["dates"]] == [
        ("2025年4月", "2025-04"),
        ("歡迎", None),
    ]
    assert record["dates"][1]["reason"] == "added in review"


def test_doccano_round_trip_with_the_runs_records(run: Path, tmp_path: Path) -> None:
    exported = tmp_path / "review.jsonl"
    assert export_outputs(run, "doccano", exported) == 0
    edit_doccano(exported)
    assert import_review(exported, tmp_path / "fixed", run) == 0
    record = imported(tmp_path / "fixed")
    check_corrected(record)
    assert record["id"] == original()["id"]
    assert record["tokens"] == original()["tokens"]


def test_doccano_round_trip_rebuilds_records_without_the_run(run: Path, tmp_path: Path) -> None:
    exported = tmp_path / "review.jsonl"
    assert export_outputs(run, "doccano", exported) == 0
    edit_doccano(exported)
    assert main(["import-review", str(exported), "-o", str(tmp_path / "fixed")]) == 0
    record = imported(tmp_path / "fixed")
    assert validate(record) == []
    assert record["id"] == original()["id"]
    assert record["source"]["path"] == "news/a.txt"
    assert ("日本政府", "ORG") in surfaces(record, "entities")
    assert ("美國", "GPE") not in surfaces(record, "entities")


def test_label_studio_export_round_trip(run: Path, tmp_path: Path) -> None:
    tasks_path = tmp_path / "tasks.json"
    assert export_outputs(run, "label-studio", tasks_path) == 0
    (task,) = json.loads(tasks_path.read_text(encoding="utf-8"))
    kept = [
        result
        for result in task["predictions"][0]["result"]
        if result["value"]["labels"] != ["GPE"]
    ]

    def region(surface: str, label: str) -> dict[str, Any]:
        start, end = locate(TEXT, surface)
        value = {"start": start, "end": end, "text": surface, "labels": [label]}
        return {"from_name": "label", "to_name": "text", "type": "labels", "value": value}

    # As Label Studio exports a reviewed task: the annotations, newest last.
    task["annotations"] = [
        {"was_cancelled": True, "result": []},
        {
            "was_cancelled": False,
            "result": [
                *kept,
                region("日本政府", "ORG"),
                region("歡迎", "DATE"),
                region("三國", "QUANTITY"),
            ],
        },
    ]
    tasks_path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    assert (
        main(
            ["import-review", str(tasks_path), "-o", str(tmp_path / "fixed"), "--records", str(run)]
        )
        == 0
    )
    check_corrected(imported(tmp_path / "fixed"))


def test_unreviewed_label_studio_task_gives_back_the_record(run: Path, tmp_path: Path) -> None:
    tasks_path = tmp_path / "tasks.json"
    assert export_outputs(run, "label-studio", tasks_path) == 0
    assert import_review(tasks_path, tmp_path / "same", run) == 0
    assert imported(tmp_path / "same") == original()


def test_bad_review_files_fail_with_one_line(
    run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong_offsets = tmp_path / "wrong.json"
    task = {
        "data": {"text": TEXT, "record_id": original()["id"]},
        "annotations": [
            {
                "result": [
                    {
                        "type": "labels",
                        "value": {"start": 3, "end": 5, "text": "日本", "labels": ["GPE"]},
                    }
                ]
            }
        ],
    }
    wrong_offsets.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    assert import_review(wrong_offsets, tmp_path / "out", run) == 1
    assert "offsets not in code points" in capsys.readouterr().err
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(
        json.dumps({"text": TEXT, "label": [], "meta": {"record_id": "0" * 16}}) + "\n"
    )
    assert import_review(unknown, tmp_path / "out", run) == 1
    assert "no record with id '0000000000000000'" in capsys.readouterr().err
    assert not list((tmp_path / "out").glob("*.json"))
    not_json = tmp_path / "x.json"
    not_json.write_text("{", encoding="utf-8")
    assert import_review(not_json, tmp_path / "out", run) == 1
    assert capsys.readouterr().err.startswith("error: ")
