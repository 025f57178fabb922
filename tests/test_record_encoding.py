"""`dumps` writes exactly what `json.dumps` writes per field and per span; `to_record`
adds source offsets and exact numbers to every span, plain or not."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from zhextract import record as record_module
from zhextract.doc import Doc
from zhextract.record import dumps, to_record


def reference_dumps(record: dict[str, Any]) -> str:
    """The record layout written with one plain `json.dumps` call per value."""

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    lines = []
    for key, value in record.items():
        if isinstance(value, list) and value:
            items = ",\n".join(compact(item) for item in value)
            lines.append(f"{compact(key)}: [\n{items}\n]")
        else:
            lines.append(f"{compact(key)}: {compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


SAMPLE = {
    "text": '引號"與\\反斜線\n換行\t\u2028 與 \x00 控制字元 😀',
    "empty": [],
    "numbers": [0, -1, 10**30, 1.5, 1e-7, True, False, None],
    "nested": [{"a": [1, {"b": "乙"}], "c": {}}, {"d": []}],
    "meta": {"標題": "測試", "list": [1, 2]},
    "warnings": ["一", "二"],
}


def test_dumps_matches_json_dumps() -> None:
    assert dumps(SAMPLE) == reference_dumps(SAMPLE)


def token(text: str, start: Any, pos: str = "n", **extra: Any) -> dict[str, Any]:
    fields = {"text": text, "start": start, "end": 2, "pos": pos, "source_start": 0}
    return {**fields, "source_end": 2, **extra}


def test_dumps_writes_token_shaped_spans_as_json_dumps() -> None:
    """The format-string path for tokens, and the spans that only look like tokens."""
    reordered = {"start": 0, **token('"\\\n\u2028😀', 0)}
    tokens = [
        token('"\\\n\u2028😀', 0, pos="\x00"),
        token("甲", True),  # a bool, not an int
        token("甲", 1.0),
        token("甲", 10**30),
        token("甲", 0, extra=1),
        reordered,
        ["not", "a", "dict"],
    ]
    record = {"tokens": tokens}
    assert dumps(record) == reference_dumps(record)


def test_dumps_without_the_c_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    assert dumps(SAMPLE) == reference_dumps(SAMPLE)


def test_dumps_rejects_what_json_rejects() -> None:
    circular: list[Any] = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular"):
        dumps({"spans": [circular]})
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"spans": [{"value": Decimal("1.5")}]})
    assert record_module.json_ready({"value": Decimal("1.5")}) == {"value": 1.5}


def make_doc() -> Doc:
    doc = Doc.from_text("  ab\ncd")
    doc.text = "ab cd"
    doc.offset_map = [2, 3, 4, 5, 6, 7]
    doc.tokens = [doc.span(0, 2, pos="eng"), doc.span(3, 5, pos="eng")]
    doc.figures = [doc.span(3, 5, value=Decimal("2.50"), parts=(Decimal("1"), "x"))]
    doc.notes = [{"start": 5, "end": 5, "kind": "empty"}]
    return doc


def test_to_record_spans_carry_source_offsets_and_exact_numbers() -> None:
    record = to_record(make_doc(), "test", "1")
    assert record["tokens"] == [
        {"text": "ab", "start": 0, "end": 2, "pos": "eng", "source_start": 2, "source_end": 4},
        {"text": "cd", "start": 3, "end": 5, "pos": "eng", "source_start": 5, "source_end": 7},
    ]
    assert record["figures"] == [
        {
            "text": "cd",
            "start": 3,
            "end": 5,
            "value": 2.5,
            "low": 2.5,
            "high": 2.5,
            "parts": [1, "x"],
            "source_start": 5,
            "source_end": 7,
        }
    ]
    assert record["notes"] == [
        {"start": 5, "end": 5, "kind": "empty", "source_start": 7, "source_end": 7}
    ]


def test_to_record_copies_spans() -> None:
    doc = make_doc()
    record = to_record(doc, "test", "1")
    record["tokens"][0]["pos"] = "changed"
    assert doc.tokens[0] == {"text": "ab", "start": 0, "end": 2, "pos": "eng"}


def test_to_record_without_offset_map_keeps_logical_offsets() -> None:
    doc = make_doc()
    doc.offset_map = []
    tokens = to_record(doc, "test", "1")["tokens"]
    assert [(item["source_start"], item["source_end"]) for item in tokens] == [(0, 2), (3, 5)]
