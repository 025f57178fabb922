"""Every record validates against the published schema and keeps the offset invariants."""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

import zhextract
from zhextract.record import SPAN_LISTS, dumps, json_number, offset_errors, validate

REPO = Path(__file__).resolve().parent.parent
CORPUS = sorted((REPO / "corpus").glob("*.txt"))


def assert_source_offsets_match(raw: str, record: dict) -> None:
    """Each span's source slice holds the same characters, ignoring whitespace and width."""

    def squeeze(value: str) -> str:
        return re.sub(r"\s", "", unicodedata.normalize("NFKC", value))

    for name in SPAN_LISTS:
        for item in record[name]:
            if "text" not in item:
                continue
            source = raw[item["source_start"] : item["source_end"]]
            assert squeeze(source) == squeeze(item["text"]), (name, item)


def test_seed_record_is_valid(seed_text: str, seed_record: dict) -> None:
    assert validate(seed_record) == []
    assert_source_offsets_match(seed_text, seed_record)
    assert json.loads(dumps(seed_record)) == seed_record


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_records_are_valid(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    record = zhextract.extract(raw)
    assert validate(record) == []
    assert_source_offsets_match(raw, record)


def test_offset_errors_catch_a_broken_span() -> None:
    record = zhextract.extract("臺北市政府今天開會。")
    record["tokens"][0]["text"] = "錯"
    record["sentences"].append({"start": 5, "end": 999})
    errors = offset_errors(record)
    assert any(error.startswith("tokens/0:") for error in errors)
    assert any("bad offsets [5, 999)" in error for error in errors)


def test_schema_rejects_a_float_rounded_value() -> None:
    record = zhextract.extract("測試。")
    record["figures"] = [
        {"text": "測", "start": 0, "end": 1, "source_start": 0, "source_end": 1,
         "label": "MONEY", "value": "1e12", "unit": "USD", "counted": None, "approx": None}
    ]  # fmt: skip
    assert validate(record)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1E+12"), 1000000000000),
        (Decimal("123456789012345678901234567890"), 123456789012345678901234567890),
        (Decimal("0.3"), 0.3),
        (Decimal("34.60"), 34.6),
        (Decimal("-4504040000"), -4504040000),
        (Decimal("12345678901234567.25"), "12345678901234567.25"),
    ],
)
def test_json_numbers_are_exact(value: Decimal, expected: object) -> None:
    converted = json_number(value)
    assert converted == expected
    assert type(converted) is type(expected)
    assert "e" not in json.dumps(converted).lower()


def test_records_are_deterministic(seed_text: str) -> None:
    assert dumps(zhextract.extract(seed_text)) == dumps(zhextract.extract(seed_text))
