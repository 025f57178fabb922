"""Load stage: bytes to text with the right encoding, and clear errors for non-text."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from zhextract.reading import (
    BinaryDocumentError,
    DocumentError,
    EmptyDocumentError,
    read_bytes,
    read_path,
)

# Traditional sentences written for these tests, short to long: short Big5 is where a
# general detector goes wrong (UTF-16 without a BOM, Shift-JIS, Korean).
TRADITIONAL = [
    "我們",
    "中華民國",
    "許功蓋",
    "今天天氣很好。",
    "圖書館週末開放。",
    "臺灣的經濟成長率為百分之三。",
    "行政院今日宣布，明年度總預算將增加五百億元，用於國防與社會福利。",
    "立法院三讀通過修正草案，擴大對於境外勢力滲透的規範範圍。",
    "外交部發言人表示，雙方將持續就關稅議題進行協商，並盼早日達成共識。",
]
SIMPLIFIED = ["这个是简体中文。", "国务院今天发布了新的经济数据，增长率为百分之五。"]


def test_utf8_text_and_source() -> None:
    data = "臺北市政府今天開會。\n".encode()
    text, source = read_bytes(data, "news/a.txt")
    assert text == "臺北市政府今天開會。\n"
    assert source.path == "news/a.txt"
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.encoding == "utf-8"


def test_utf8_bom_is_dropped() -> None:
    text, source = read_bytes(codecs.BOM_UTF8 + "新聞稿".encode(), None)
    assert (text, source.encoding, source.path) == ("新聞稿", "utf-8-sig", None)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    mark = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = mark + "總統府發布新聞稿。\nABC 123".encode(codec)
    text, source = read_bytes(data, None)
    assert text == "總統府發布新聞稿。\nABC 123"
    assert source.encoding == "utf-16"
    assert source.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("sentence", TRADITIONAL)
def test_big5_traditional_is_detected(sentence: str) -> None:
    text, source = read_bytes(sentence.encode("big5"), None)
    assert text == sentence
    assert source.encoding in ("big5", "cp950")


def test_big5_with_ascii_and_line_breaks() -> None:
    content = (
        "發布日期：2025年3月1日\n\n經濟部公布，今年1月出口金額為410億美元（US$41 billion）。\n"
    )
    text, source = read_bytes(content.encode("big5"), None)
    assert text == content
    assert source.encoding in ("big5", "cp950")


def test_cp950_only_character_is_decoded() -> None:
    content = "本季營收為一百萬歐元（€1,000,000），較上季成長。"
    with pytest.raises(UnicodeEncodeError):
        content.encode("big5")
    text, source = read_bytes(content.encode("cp950"), None)
    assert text == content
    assert source.encoding == "cp950"


@pytest.mark.parametrize("sentence", SIMPLIFIED + TRADITIONAL[5:])
def test_gb18030_is_detected(sentence: str) -> None:
    text, source = read_bytes(sentence.encode("gb18030"), None)
    assert text == sentence
    assert source.encoding == "gb18030"


def test_seed_document_in_big5(seed_text: str) -> None:
    text, source = read_bytes(seed_text.encode("big5"), "seed.txt")
    assert text == seed_text
    assert source.encoding in ("big5", "cp950")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (codecs.BOM_UTF8, "empty file"),
        (b" \n\t\r\n", "empty file (only whitespace)"),
        ("\u3000\n".encode(), "empty file (only whitespace)"),
    ],
)
def test_empty_input(data: bytes, message: str) -> None:
    with pytest.raises(EmptyDocumentError) as raised:
        read_bytes(data, None)
    assert str(raised.value) == message
    assert isinstance(raised.value, DocumentError)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (not text): contains NUL bytes"),
        ("正文\x00正文".encode(), "binary file (not text): contains NUL bytes"),
        (
            codecs.BOM_UTF16_LE + "正文\x00".encode("utf-16-le"),
            "binary file (not text): contains NUL characters",
        ),
        (bytes([1, 2, 3, 4, 27, 5]) + b"text", "binary file (not text): mostly control characters"),
    ],
)
def test_binary_input(data: bytes, message: str) -> None:
    with pytest.raises(BinaryDocumentError) as raised:
        read_bytes(data, None)
    assert str(raised.value) == message


def test_text_controls_are_allowed() -> None:
    content = "第一頁\f第二頁\v\t結束\r\n"
    assert read_bytes(content.encode(), None)[0] == content


def test_truncated_utf16_is_a_document_error() -> None:
    data = codecs.BOM_UTF16_LE + "正文".encode("utf-16-le") + b"\x41"
    with pytest.raises(DocumentError, match=r"^invalid utf-16 at byte \d+$"):
        read_bytes(data, None)


def test_read_path(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("中央銀行宣布升息。".encode("big5"))
    text, source = read_path(path)
    assert text == "中央銀行宣布升息。"
    assert source.path == str(path)
    assert source.encoding in ("big5", "cp950")


def test_read_path_errors_are_document_errors(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"^cannot read file: No such file or directory$"):
        read_path(tmp_path / "missing.txt")
    with pytest.raises(DocumentError, match=r"^is a directory$"):
        read_path(tmp_path)
