"""Record schema 1.1: `low`/`high` on every figure, percentage points as fractions, fields a
run leaves out (`--fields`, `--no-tokens`) listed in `omitted`; 1.0 records stay valid."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import zhextract
from zhextract.cli import main
from zhextract.record import OPTIONAL_FIELDS, SCHEMA_VERSION, omit_fields, validate

TEXT = (
    "去年出口成長2.81%，失業率上升2到4個百分點，利率調升0.125個百分點，"
    "共有約300人出席，投資3億至5億元，人民幣兌美元走弱。"
)


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return zhextract.extract(TEXT, doc_date="2025-02-07")


def figures_by_text(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {figure["text"]: figure for figure in record["figures"]}


def test_every_figure_has_low_and_high(record: dict[str, Any]) -> None:
    assert record["schema_version"] == SCHEMA_VERSION == "1.1"
    assert validate(record) == []
    figures = figures_by_text(record)
    for figure in record["figures"]:
        keys = list(figure)
        assert keys[keys.index("value") + 1 : keys.index("value") + 3] == ["low", "high"]
        value = figure["value"]
        bounds = value if isinstance(value, list) else [value, value]
        assert [figure["low"], figure["high"]] == bounds
    assert (figures["3億至5億元"]["low"], figures["3億至5億元"]["high"]) == (300000000, 500000000)
    assert figures["約300人"]["low"] == figures["約300人"]["high"] == 300
    # A currency named with no amount has no value, and no bounds either.
    assert {figures["人民幣"]["low"], figures["人民幣"]["high"]} == {None}


def test_bounds_are_numbers_a_table_can_sum(record: dict[str, Any]) -> None:
    valued = [figure for figure in record["figures"] if figure["value"] is not None]
    assert valued
    for figure in valued:
        assert type(figure["low"]) in (int, float) and type(figure["high"]) in (int, float)


def test_percentage_points_are_fractions_like_percents(record: dict[str, Any]) -> None:
    figures = figures_by_text(record)
    assert (figures["2.81%"]["value"], figures["2.81%"]["unit"]) == (0.0281, "%")
    points = figures["2到4個百分點"]
    assert (points["value"], points["unit"]) == ([0.02, 0.04], "percentage_point")
    assert figures["0.125個百分點"]["value"] == 0.00125


def old_record(record: dict[str, Any]) -> dict[str, Any]:
    """`record` as schema 1.0 wrote it: no bounds."""
    old = copy.deepcopy(record)
    old["schema_version"] = "1.0"
    for figure in old["figures"]:
        del figure["low"], figure["high"]
    return old


def test_version_1_0_records_stay_valid_and_1_1_needs_bounds(record: dict[str, Any]) -> None:
    assert validate(old_record(record)) == []
    unbounded = old_record(record)
    unbounded["schema_version"] = "1.1"
    assert any("'low' is a required property" in error for error in validate(unbounded))


def test_omitted_fields_are_listed_and_allowed(record: dict[str, Any]) -> None:
    trimmed = omit_fields(record, ["tokens", "paragraphs"])
    assert "tokens" not in trimmed and "paragraphs" not in trimmed
    assert trimmed["omitted"] == ["paragraphs", "tokens"]  # record order
    assert list(trimmed)[-1] == "omitted"
    assert validate(trimmed) == []
    assert omit_fields(record, []) == record


def test_a_missing_field_must_be_listed_as_omitted(record: dict[str, Any]) -> None:
    missing = {key: value for key, value in record.items() if key != "tokens"}
    assert "<root>: 'tokens' is a required property" in validate(missing)
    listed_but_present = {**record, "omitted": ["tokens"]}
    assert validate(listed_but_present) != []
    unknown = {**omit_fields(record, ["tokens"]), "omitted": ["text"]}
    assert validate(unknown) != []


def test_run_fields_and_no_tokens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    full, slim, tokenless = tmp_path / "full", tmp_path / "slim", tmp_path / "tokenless"
    assert main(["run", str(source), "-o", str(full)]) == 0
    assert main(["run", str(source), "-o", str(slim), "--fields", "entities, figures,dates"]) == 0
    assert main(["run", str(source), "-o", str(tokenless), "--no-tokens"]) == 0
    whole = json.loads((full / "a.json").read_text(encoding="utf-8"))
    small = json.loads((slim / "a.json").read_text(encoding="utf-8"))
    no_tokens = json.loads((tokenless / "a.json").read_text(encoding="utf-8"))
    assert "omitted" not in whole
    assert small["omitted"] == [
        "meta",
        "sections",
        "paragraphs",
        "notes",
        "sentences",
        "tokens",
        "facts",
    ]
    assert small["figures"] == whole["figures"] and small["text"] == whole["text"]
    assert no_tokens["omitted"] == ["tokens"]
    assert set(whole) - set(no_tokens) == {"tokens"}
    for made in (whole, small, no_tokens):
        assert validate(made) == []
    summaries = [
        json.loads((out / "run.json").read_text("utf-8")) for out in (full, slim, tokenless)
    ]
    assert [summary["omitted"] for summary in summaries] == [[], small["omitted"], ["tokens"]]
    assert (tmp_path / "slim" / "a.json").stat().st_size < (full / "a.json").stat().st_size / 2


def test_resume_redoes_a_record_made_with_other_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(source), "-o", str(out), "--no-tokens"]) == 0
    assert main(["run", str(source), "-o", str(out), "--resume"]) == 0
    assert "tokens" in json.loads((out / "a.json").read_text(encoding="utf-8"))
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary["skipped"] == 0


def test_unknown_field_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert main(["run", str(source), "-o", str(tmp_path / "o"), "--fields", "entities,text"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "zhextract run: error: --fields: unknown field 'text'; choose from "
        + ", ".join(OPTIONAL_FIELDS)
        + "\n"
    )
