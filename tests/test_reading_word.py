"""Word files: .docx (made here with python-docx) and .odt (written here as ODF XML)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from test_cli import error_lines, run_cli

import zhextract
from zhextract.reading import DocumentError, read_document, read_path, sniff_kind

TITLE = "淡水河流域防洪計畫說明"
BODY = "水利署今（20）日表示，淡水河流域去年汛期累積雨量較往年增加約18%，堤防須加高。"


def _docx(tmp_path: Path, name: str = "plan.docx") -> Path:
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph("作者：周建宏")
    document.add_heading("計畫緣起", level=1)
    document.add_paragraph(BODY)
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate(
        [["工程項目", "經費", "期程"], ["堤防加高", "新臺幣3.5億元", "2年"]]
    ):
        for column, value in enumerate(cells):
            table.cell(row, column).text = value
    merged = table.cell(2, 0).merge(table.cell(2, 2))
    merged.text = "合計新臺幣3.5億元"
    document.add_heading("執行期程", level=2)
    document.add_paragraph("第一階段", style="List Bullet")
    document.add_paragraph("工程預計明年6月完工。")
    path = tmp_path / name
    document.save(str(path))
    return path


def test_docx_paragraphs_headings_and_tables(tmp_path: Path) -> None:
    text, source = read_path(_docx(tmp_path))
    assert text.split("\n") == [
        TITLE,
        "作者：周建宏",
        "計畫緣起",
        BODY,
        "| 工程項目 | 經費 | 期程 |",
        "| 堤防加高 | 新臺幣3.5億元 | 2年 |",
        "| 合計新臺幣3.5億元 |",  # a merged cell once
        "執行期程",
        "第一階段",
        "工程預計明年6月完工。",
    ]
    assert source.encoding == "docx"
    assert [(text[start:end], role) for start, end, role in source.marks] == [
        (TITLE, "title"),
        ("計畫緣起", "heading"),
        ("執行期程", "heading"),
    ]


def test_docx_record_has_title_author_and_sections_by_style(tmp_path: Path) -> None:
    text, source = read_path(_docx(tmp_path))
    record = zhextract.load("fast")(text, doc_date="2025-05-20", source=source)
    assert record["meta"]["title"] == TITLE
    assert record["meta"]["author"] == "周建宏"
    assert [section["heading"] for section in record["sections"]] == ["計畫緣起", "執行期程"]
    first = record["sections"][0]
    assert record["text"][first["content_start"] : first["content_end"]].startswith(BODY)
    money = [item["value"] for item in record["figures"] if item["label"] == "MONEY"]
    assert money == [350000000, 350000000]


def test_docx_without_styles_invents_no_headings(tmp_path: Path) -> None:
    document = docx.Document()
    for line in ["計畫緣起", BODY, "執行期程", "工程預計明年6月完工。"]:
        document.add_paragraph(line)
    path = tmp_path / "plain.docx"
    document.save(str(path))
    text, source = read_path(path)
    assert source.marks == []
    record = zhextract.load("fast")(text, source=source)
    assert record["sections"] == []
    assert "heading" not in {p["role"] for p in record["paragraphs"]}


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)


def _odt(body: str, styles: str = "") -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NAMESPACES}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


ODT_BODY = (
    '<text:p text:style-name="P1">高雄港區轉型規劃</text:p>'
    '<text:h text:outline-level="1">一、現況</text:h>'
    "<text:p>港務公司今（3）日指出，舊港區<text:span>閒置倉庫</text:span>共<text:s/>12棟"
    "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>註解文字</text:p>"
    "</text:note-body></text:note>。</text:p>"
    "<text:list><text:list-item><text:p>倉庫改建為展館</text:p></text:list-item></text:list>"
    "<table:table><table:table-row><table:table-cell><text:p>區域</text:p></table:table-cell>"
    "<table:table-cell><text:p>面積</text:p></table:table-cell></table:table-row>"
    "<table:table-row><table:table-cell><text:p>蓬萊商港區</text:p></table:table-cell>"
    "<table:table-cell><text:p>8.5公頃</text:p></table:table-cell></table:table-row></table:table>"
)
ODT_STYLES = (
    '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>'
)


def test_odt_paragraphs_headings_lists_and_tables() -> None:
    text, source = read_document(_odt(ODT_BODY, ODT_STYLES), "plan.odt", "odt")
    assert text.split("\n") == [
        "高雄港區轉型規劃",
        "一、現況",
        "港務公司今（3）日指出，舊港區閒置倉庫共 12棟。",  # the note is left out
        "倉庫改建為展館",
        "| 區域 | 面積 |",
        "| 蓬萊商港區 | 8.5公頃 |",
    ]
    assert [(text[start:end], role) for start, end, role in source.marks] == [
        ("高雄港區轉型規劃", "title"),
        ("一、現況", "heading"),
    ]
    record = zhextract.load("fast")(text, doc_date="2025-06-03", source=source)
    assert record["meta"]["title"] == "高雄港區轉型規劃"
    assert [section["heading"] for section in record["sections"]] == ["一、現況"]


def test_odt_plain_paragraph_is_no_title() -> None:
    text, source = read_document(
        _odt("<text:p>高雄港區轉型規劃</text:p><text:p>內文。</text:p>"), None, "odt"
    )
    assert source.marks == []


def test_word_files_are_sniffed_on_standard_input(tmp_path: Path) -> None:
    assert sniff_kind(_docx(tmp_path).read_bytes()) == "docx"
    assert sniff_kind(_odt(ODT_BODY)) == "odt"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notes.txt", "文字")
    assert sniff_kind(plain_zip.getvalue()) == "text"


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("docx", b"", "empty file"),
        ("docx", b"PK\x03\x04 truncated", "not a readable .docx file: "),
        ("docx", b"plain words, not a zip", "not a readable .docx file: "),
        ("odt", b"PK\x03\x04 truncated", "not a readable .odt file: "),
        ("odt", _odt("<text:p>  </text:p>"), "no text in the .odt file"),
        ("odt", _odt("<text:p>未關閉</text:x>"), "not a readable .odt file: ParseError"),
    ],
)
def test_broken_word_files_give_one_line_errors(kind: str, data: bytes, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(data, "broken." + kind, kind)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_broken_docx_fails_alone_in_a_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx(folder, "good.docx")
    empty = docx.Document()
    empty.save(str(folder / "blank.docx"))
    (folder / "odd.docx").write_bytes(_docx(tmp_path).read_bytes()[:300])
    outdir = tmp_path / "out"
    code, _, err = run_cli(capsys, "run", folder, "-o", outdir)
    assert code == 1
    assert [line.split(": ", 2)[1:] for line in error_lines(err)] == [
        [(folder / "blank.docx").as_posix(), "no text in the .docx file"],
        [(folder / "odd.docx").as_posix(), error_lines(err)[1].split(": ", 2)[2]],
    ]
    assert error_lines(err)[1].split(": ", 2)[2].startswith("not a readable .docx file")
    record = json.loads((outdir / "good.json").read_text(encoding="utf-8"))
    assert record["meta"]["title"] == TITLE
    assert record["source"]["encoding"] == "docx"


def test_deeply_nested_odt_is_an_error_not_a_crash() -> None:
    nested = "<text:span>" * 5000 + "深" + "</text:span>" * 5000
    with pytest.raises(DocumentError, match=r"^not a readable \.odt file: RecursionError"):
        read_document(_odt(f"<text:p>{nested}</text:p>"), "deep.odt", "odt")


def test_docx_that_expands_too_far_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("zhextract.reading_word.MAX_XML_BYTES", 1000)
    with pytest.raises(DocumentError, match=r"^not a readable \.docx file: over 200 MB"):
        read_path(_docx(tmp_path))
