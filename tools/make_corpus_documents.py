"""Write the bundled corpus's binary documents from their sources in tools/corpus_sources/.

    PYTHONPATH=src python tools/make_corpus_documents.py

- `scooter_brief.pdf`: a think-tank brief laid out in pages with a running header, a
  footer and page numbers; paragraphs hard-wrapped, their first lines indented with two
  ideographic spaces. Written by the tests' minimal PDF writer (`tests/test_reading.py`:
  a Type0 font with a ToUnicode map and no embedded glyphs, so the text layer is exact
  and no CJK font is needed; viewers substitute one).
- `culture_release.docx`: a government press release written with python-docx (Title and
  Heading styles, a table).

The outputs are byte-for-byte reproducible (fixed document dates and zip timestamps). Then
regenerate the records: `zhextract run corpus -o outputs`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "tools" / "corpus_sources"
CORPUS = REPO / "corpus"
FIXED_TIME = dt.datetime(2024, 10, 8, 9, 0, 0)
PARAGRAPH_INDENT = "\u3000\u3000"


def main() -> None:
    brief = _source("scooter_brief.json")
    (CORPUS / brief["file"]).write_bytes(brief_pdf(brief))
    release = _source("culture_release.json")
    (CORPUS / release["file"]).write_bytes(release_docx(release))


def _source(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SOURCES / name).read_text(encoding="utf-8"))
    return loaded


def brief_pdf(brief: dict[str, Any]) -> bytes:
    sys.path.insert(0, str(REPO / "tests"))
    from test_reading import minimal_pdf

    lines = list(brief["preamble"])
    for block in brief["blocks"]:
        if "heading" in block:
            lines.append(block["heading"])
        else:
            lines.extend(_wrapped(PARAGRAPH_INDENT + block["paragraph"], brief["line_chars"]))
    per_page = brief["lines_per_page"]
    bodies = [lines[start : start + per_page] for start in range(0, len(lines), per_page)]
    pages = [
        [brief["header"], *body, brief["footer"], brief["page_number"].format(page=number)]
        for number, body in enumerate(bodies, start=1)
    ]
    return minimal_pdf(pages)


def _wrapped(paragraph: str, width: int) -> list[str]:
    return [paragraph[start : start + width] for start in range(0, len(paragraph), width)]


def release_docx(release: dict[str, Any]) -> bytes:
    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.created = properties.modified = FIXED_TIME
    properties.author = properties.last_modified_by = "zhextract"
    properties.revision = 1
    for block in release["blocks"]:
        if "table" in block:
            rows = block["table"]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row_index, row in enumerate(rows):
                for column, value in enumerate(row):
                    table.cell(row_index, column).text = value
        else:
            document.add_paragraph(block["text"], style=block["style"])
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_fixed_timestamps(buffer.getvalue())


def _with_fixed_timestamps(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED_TIME, so rebuilding gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


if __name__ == "__main__":
    main()
