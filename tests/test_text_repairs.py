"""Text the reader must not lose: other line breaks, damaged UTF-8, stray NULs, lone
surrogates."""

from __future__ import annotations

import json

import pytest

import zhextract
from zhextract.reading import BinaryDocumentError, read_bytes
from zhextract.record import offset_errors
from zhextract.stages.normalize import normalize_text

NEWS = "立法院今天三讀通過預算案，總額兩兆元。"


@pytest.mark.parametrize("line_break", ["\r", "\r\n", "\n", "\u2028", "\x85", "\x0b"])
def test_every_line_break_ends_a_line(line_break: str) -> None:
    text, offsets, spans = normalize_text(f"Hello{line_break}world")
    assert text == "Hello\nworld"
    assert spans == [(0, 5), (6, 11)]
    assert offsets[6] == 5 + len(line_break)  # "w" maps back to its source offset


@pytest.mark.parametrize("paragraph_break", ["\u2029", "\x0c"])
def test_paragraph_breaks_end_a_paragraph(paragraph_break: str) -> None:
    raw = f"第一行接著{paragraph_break}第二段開始"
    text, offsets, spans = normalize_text(raw)
    assert len(spans) == 2
    assert text[slice(*spans[1])] == "第二段開始"
    assert raw[offsets[spans[1][0]]] == "第"


def test_cr_only_paragraphs_stay_apart() -> None:
    raw = "\r\r".join(f"第{index}段內容。" for index in range(10))
    record = zhextract.extract(raw)
    assert len(record["paragraphs"]) == 10
    assert offset_errors(record) == []


def test_crlf_is_one_line_break_not_a_blank_line() -> None:
    text, offsets, _ = normalize_text("甲\r\n乙")
    assert text == "甲\n乙" and offsets[2] == 3


def test_a_bad_byte_in_utf8_is_replaced_with_a_warning() -> None:
    data = NEWS.encode()
    text, source = read_bytes(data[:9] + b"\xff" + data[9:], "a.txt")
    assert text == NEWS[:3] + "\ufffd" + NEWS[3:]
    assert source.encoding == "utf-8"
    assert source.warnings == ("1 byte(s) not valid utf-8 replaced with U+FFFD",)


def test_a_cut_off_last_character_is_replaced() -> None:
    text, source = read_bytes(NEWS.encode()[:-1], None)
    assert text == NEWS[:-1] + "\ufffd"
    assert source.warnings == ("2 byte(s) not valid utf-8 replaced with U+FFFD",)


def test_a_stray_nul_is_replaced() -> None:
    data = NEWS.encode()
    text, source = read_bytes(data[:6] + b"\x00" + data[6:], None)
    assert text == NEWS[:2] + "\ufffd" + NEWS[2:]
    assert source.warnings == ("1 byte(s) not valid utf-8 replaced with U+FFFD",)


def test_clean_utf8_has_no_warning() -> None:
    assert read_bytes(NEWS.encode(), None)[1].warnings == ()


def test_many_nuls_are_still_binary() -> None:
    with pytest.raises(BinaryDocumentError):
        read_bytes(NEWS.encode() + b"\x00" * 40, None)


def test_legacy_encodings_are_not_taken_for_damaged_utf8() -> None:
    for encoding in ("big5", "gb18030"):
        text, source = read_bytes(NEWS.encode(encoding), None)
        assert (text, source.encoding, source.warnings) == (NEWS, encoding, ())


def test_the_warning_reaches_the_record() -> None:
    text, source = read_bytes(NEWS.encode()[:-1], None)
    record = zhextract.load("default")(text, source=source)
    assert record["warnings"] == ["2 byte(s) not valid utf-8 replaced with U+FFFD"]
    assert offset_errors(record) == []


def test_lone_surrogates_never_reach_the_record() -> None:
    record = zhextract.extract("前\udc80後\ud800")
    assert record["text"] == "前\ufffd後\ufffd"
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # writable as UTF-8
    assert record["warnings"] == ["2 lone surrogate code point(s) replaced with U+FFFD in the text"]
    assert offset_errors(record) == []


def test_an_html_page_over_the_limit_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhextract import reading

    page = f"<html><body><p>{NEWS}</p></body></html>".encode()
    monkeypatch.setattr(reading, "HTML_MAX_BYTES", len(page) - 1)
    with pytest.raises(reading.DocumentError, match="over the limit"):
        reading.read_html_bytes(page, "big.html")
    monkeypatch.setattr(reading, "HTML_MAX_BYTES", len(page))
    assert NEWS in reading.read_html_bytes(page, "ok.html")[0]
