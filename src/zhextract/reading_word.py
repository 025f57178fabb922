"""Word files: the text of .docx (python-docx) and .odt (its content.xml, read with the
standard library) documents.

Each paragraph, heading and list item becomes one line, in document order; each table
row one line with its cells between bars (`| 項目 | 金額 |`, as the HTML reader writes
tables). Lines whose style makes them the title or a heading are returned as marks,
(start, end, role) offsets into the text, for the structure stage.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any
from xml.etree import ElementTree

Mark = tuple[int, int, str]

DOCX_MAIN_PART = "word/document.xml"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A larger uncompressed content.xml (.odt) or package (.docx) is refused rather than
# parsed (a zip bomb expands a few kilobytes into gigabytes).
MAX_XML_BYTES = 200_000_000
# Style names of headings: Word's built-in "Heading 1", localized "標題 1", and the
# title styles; an outline level in the paragraph's properties also makes a heading.
HEADING_STYLE = re.compile(r"^(?:heading|標題|标题|見出し)\s*\d+$", re.IGNORECASE)
TITLE_STYLES = {"title", "標題", "标题", "表題"}

ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class WordFileError(ValueError):
    """A Word file that cannot be read; the message is one line."""


def is_docx(data: bytes) -> bool:
    return _zip_has(data, DOCX_MAIN_PART)


def is_odt(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") and ODT_MIMETYPE in data[:200]


def docx_text(data: bytes) -> tuple[str, list[Mark]]:
    """Lines of a .docx file and the marks of its title and headings."""
    import docx
    from docx.table import Table

    try:
        _check_expanded_size(data)
        document = docx.Document(io.BytesIO(data))
        lines: list[tuple[str, str | None]] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend((row, None) for row in _docx_table_rows(block))
            else:
                lines.append((block.text, _docx_role(block)))
    except WordFileError:
        raise
    except Exception as error:  # python-docx, zipfile and lxml raise many kinds
        raise WordFileError(f"not a readable .docx file: {type(error).__name__}: {error}") from None
    return _joined(lines)


def _check_expanded_size(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_XML_BYTES:
            raise WordFileError("not a readable .docx file: over 200 MB uncompressed")


def _docx_role(paragraph: Any) -> str | None:
    style = paragraph.style
    name = (style.name or "").strip() if style is not None else ""
    if name.lower() in TITLE_STYLES:
        return "title"
    if HEADING_STYLE.match(name) or _has_outline_level(paragraph):
        return "heading"
    return None


def _has_outline_level(paragraph: Any) -> bool:
    from docx.oxml.ns import qn

    properties = paragraph._p.pPr
    return properties is not None and properties.find(qn("w:outlineLvl")) is not None


def _docx_table_rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell is listed once per grid column
                continue
            previous = cell._tc
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        yield _table_row(cells)


def odt_text(data: bytes) -> tuple[str, list[Mark]]:
    """Lines of an .odt file and the marks of its title and headings."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("content.xml")
            if info.file_size > MAX_XML_BYTES:
                raise WordFileError("content.xml too large")
            root = ElementTree.fromstring(archive.read(info))
        body = root.find(f"{{{ODF_OFFICE}}}body/{{{ODF_OFFICE}}}text")
        if body is None:
            raise WordFileError("not a readable .odt file: no text body")
        return _joined(_odt_blocks(body, _odt_style_parents(root)))
    except WordFileError:
        raise
    except Exception as error:  # zipfile, zlib, expat; RecursionError on absurd nesting
        raise WordFileError(f"not a readable .odt file: {type(error).__name__}: {error}") from None


def _odt_style_parents(root: ElementTree.Element) -> dict[str, str]:
    """Automatic style name -> the named style it derives from (P1 -> Title)."""
    parents = {}
    for style in root.iter(f"{{{ODF_STYLE}}}style"):
        name, parent = (
            style.get(f"{{{ODF_STYLE}}}name"),
            style.get(f"{{{ODF_STYLE}}}parent-style-name"),
        )
        if name and parent:
            parents[name] = parent
    return parents


def _odt_blocks(
    element: ElementTree.Element, parents: dict[str, str]
) -> Iterator[tuple[str, str | None]]:
    for child in element:
        if child.tag == f"{{{ODF_TEXT}}}h":
            yield _odt_inline_text(child), "heading"
        elif child.tag == f"{{{ODF_TEXT}}}p":
            style = child.get(f"{{{ODF_TEXT}}}style-name", "")
            is_title = parents.get(style, style).lower() in TITLE_STYLES
            yield _odt_inline_text(child), "title" if is_title else None
        elif child.tag == f"{{{ODF_TABLE}}}table":
            yield from ((row, None) for row in _odt_table_rows(child))
        else:  # lists, sections, frames: their paragraphs in order
            yield from _odt_blocks(child, parents)


def _odt_table_rows(table: ElementTree.Element) -> Iterator[str]:
    for row in table.iter(f"{{{ODF_TABLE}}}table-row"):
        cells = [
            " ".join(_odt_inline_text(p) for p in cell.iter(f"{{{ODF_TEXT}}}p"))
            for cell in row.findall(f"{{{ODF_TABLE}}}table-cell")
        ]
        yield _table_row(cells)


def _odt_inline_text(element: ElementTree.Element) -> str:
    """The text of a paragraph: spans and links read through, `text:s` spaces counted,
    tabs and line breaks as spaces; footnotes and annotations left out."""
    parts = [element.text or ""]
    for child in element:
        name = child.tag.rpartition("}")[2]
        if name == "s":
            parts.append(" " * int(child.get(f"{{{ODF_TEXT}}}c", "1") or 1))
        elif name in ("tab", "line-break"):
            parts.append(" ")
        elif name not in ("note", "annotation", "bookmark", "bookmark-start", "bookmark-end"):
            parts.append(_odt_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _table_row(cells: list[str]) -> str:
    kept = [cell for cell in cells if cell]
    return "| " + " | ".join(kept) + " |" if kept else ""


def _joined(lines: Iterable[tuple[str, str | None]]) -> tuple[str, list[Mark]]:
    """The non-empty lines joined by newlines, and (start, end, role) of the marked ones."""
    texts: list[str] = []
    marks: list[Mark] = []
    length = 0
    for line, role in lines:
        line = line.replace("\n", " ").replace("\v", " ").strip()
        if not line:
            continue
        if texts:
            length += 1
        if role is not None:
            marks.append((length, length + len(line), role))
        texts.append(line)
        length += len(line)
    return "\n".join(texts), marks


def _zip_has(data: bytes, name: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return name in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
