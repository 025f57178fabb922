"""Load stage: bytes to text with the right encoding, and clear errors for non-text."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from zhextract.doc import Source
from zhextract.reading import (
    BinaryDocumentError,
    DocumentError,
    EmptyDocumentError,
    UnsupportedTypeError,
    kind_of,
    read_bytes,
    read_document,
    read_path,
    sniff_kind,
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
def test_utf16_without_bom_is_read_when_it_has_ascii_characters(codec: str) -> None:
    data = "總統府發布新聞稿。\n第2段".encode(codec)
    text, source = read_bytes(data, None)
    assert (text, source.encoding) == ("總統府發布新聞稿。\n第2段", codec)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        "總統府".encode("utf-16-le") + b"\x00",  # odd length
        bytes(range(256)) * 4,
    ],
)
def test_bytes_with_nuls_that_are_not_utf16_text_are_binary(data: bytes) -> None:
    with pytest.raises(BinaryDocumentError):
        read_bytes(data, None)


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
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(DocumentError, match=r"^is a directory$"):
        read_path(tmp_path / "folder.txt")


# ---------------------------------------------------------------- HTML and PDF

ARTICLE_PARAGRAPHS = [
    "經濟部今天公布，今年一月出口金額為四百一十億美元，較去年同期成長百分之十二點五。",
    "官員表示，人工智慧伺服器需求強勁，帶動資通訊產品出口大幅增加，預估第二季仍將成長。",
    "不過，傳統產業出口表現仍然疲弱，塑化與鋼鐵產品出口金額分別衰退百分之五與百分之八。",
]
ARTICLE_TITLE = "經濟部公布一月出口數據"
BOILERPLATE = ["網站導覽選單", "版權所有聯絡我們"]


def article_page(charset: str = "utf-8") -> str:
    """An HTML page with navigation and a footer around one article."""
    paragraphs = "".join(f"<p>{paragraph}</p>\n" for paragraph in ARTICLE_PARAGRAPHS)
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}">'
        f"<title>{ARTICLE_TITLE} | 新聞網</title></head><body>\n"
        f'<nav><a href="/">{BOILERPLATE[0]}</a> <a href="/news">新聞</a></nav>\n'
        f"<article><h1>{ARTICLE_TITLE}</h1>\n{paragraphs}</article>\n"
        f"<footer><p>{BOILERPLATE[1]}</p></footer>\n</body></html>\n"
    )


def _pdf_string(text: str, codes: dict[str, int]) -> str:
    return "<" + "".join(f"{codes[char]:04X}" for char in text) + ">"


def minimal_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages show the given lines in a text layer (a Type0 font with a
    ToUnicode map, so any BMP text works; no glyphs are embedded, viewers substitute).
    A page with no lines has no text at all, like a scan."""
    chars = sorted({char for lines in pages for line in lines for char in line})
    codes = {char: index + 1 for index, char in enumerate(chars)}
    entries = "".join(f"<{code:04X}> <{ord(char):04X}>\n" for char, code in codes.items())
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{entries}endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "",  # the page tree, filled in below
        "<< /Type /Font /Subtype /Type0 /BaseFont /TestFont /Encoding /Identity-H"
        " /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /TestFont"
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        " /DW 1000 >>",
        f"<< /Length {len(cmap.encode())} >>\nstream\n{cmap}endstream",
    ]
    kids = []
    for lines in pages:
        shown = "".join(f"{_pdf_string(line, codes)} Tj 0 -20 Td\n" for line in lines)
        content = f"BT /F1 12 Tf 50 800 Td\n{shown}ET\n" if lines else "0 0 m 100 100 l S\n"
        objects.append(f"<< /Length {len(content.encode())} >>\nstream\n{content}endstream")
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            f" /Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def test_html_main_text_drops_boilerplate() -> None:
    data = article_page().encode()
    text, source = read_bytes_as(data, "page.html")
    assert text.split("\n") == [ARTICLE_TITLE, *ARTICLE_PARAGRAPHS]
    assert (source.path, source.encoding) == ("page.html", "utf-8")
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_html_declared_big5_charset() -> None:
    data = article_page("big5").encode("big5")
    text, source = read_bytes_as(data, "page.htm")
    assert text.split("\n") == [ARTICLE_TITLE, *ARTICLE_PARAGRAPHS]
    assert source.encoding == "big5"


def test_html_wrong_declared_charset_falls_back_to_detection() -> None:
    text, source = read_bytes_as(article_page("utf-8").encode("big5"), "page.html")
    assert text.split("\n") == [ARTICLE_TITLE, *ARTICLE_PARAGRAPHS]
    assert source.encoding in ("big5", "cp950")


def test_html_without_text_is_an_error() -> None:
    with pytest.raises(DocumentError, match=r"^no main text found in the HTML page$"):
        read_bytes_as(b"<html><body><img src='a.png'></body></html>", "page.html")


@pytest.mark.parametrize(
    "pages",
    [
        [["Annual report 2024", "Exports grew 12.5% to USD 41 billion."]],
        [["行政院今天宣布，", "明年度總預算增加五百億元。"], ["第二頁：經濟部表示出口成長。"]],
    ],
)
def test_pdf_text_layer(pages: list[list[str]]) -> None:
    data = minimal_pdf(pages)
    text, source = read_bytes_as(data, "report.pdf")
    # Each page ends with a form feed, as pdftotext writes it.
    assert text == "".join("\n".join(lines) + "\n\f" for lines in pages)
    assert (source.path, source.encoding) == ("report.pdf", "pdf")
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_pdf_without_text_layer() -> None:
    with pytest.raises(DocumentError, match=r"^no text layer \(scanned PDF\?\)$"):
        read_bytes_as(minimal_pdf([[], []]), "scan.pdf")


def test_damaged_pdf() -> None:
    with pytest.raises(DocumentError, match=r"^not a readable PDF: "):
        read_bytes_as(b"%PDF-1.4\nthis is not a PDF body\n", "broken.pdf")


def read_bytes_as(data: bytes, name: str) -> tuple[str, Source]:
    return read_document(data, name, kind_of(name))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "text"),
        ("b.MD", "text"),
        ("c.html", "html"),
        ("d.Htm", "html"),
        ("e.pdf", "pdf"),
        ("f.docx", "docx"),
        ("g.ODT", "odt"),
    ],
)
def test_kind_by_suffix(name: str, kind: str) -> None:
    assert kind_of(name) == kind


@pytest.mark.parametrize("name", ["slides.pptx", "README", "data.json", "old.doc"])
def test_unsupported_types(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text("內容", encoding="utf-8")
    suffix = repr(path.suffix) if path.suffix else "'(none)'"
    with pytest.raises(UnsupportedTypeError) as raised:
        read_path(path)
    assert str(raised.value) == (
        f"unsupported file type {suffix} (expected .txt, .md, .html, .htm, .pdf, .docx, .odt)"
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\n  <!DOCTYPE html><html>", "html"),
        (b"<HTML><body>", "html"),
        ("<p>不是完整網頁</p>".encode(), "text"),
        ("純文字".encode(), "text"),
    ],
)
def test_sniff_kind(data: bytes, kind: str) -> None:
    assert sniff_kind(data) == kind
