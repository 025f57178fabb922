"""corpus/'s PDF and .docx are what tools/make_corpus_documents.py writes from
tools/corpus_sources/, byte for byte, and read back as the documents they describe."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from zhextract.reading import read_path

REPO = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    path = REPO / "tools" / "make_corpus_documents.py"
    spec = importlib.util.spec_from_file_location("make_corpus_documents", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source(name: str) -> dict:
    return json.loads((REPO / "tools" / "corpus_sources" / name).read_text(encoding="utf-8"))


def test_corpus_pdf_and_docx_are_rebuilt_byte_for_byte() -> None:
    tool = _tool()
    brief, release = _source("scooter_brief.json"), _source("culture_release.json")
    assert tool.brief_pdf(brief) == (REPO / "corpus" / brief["file"]).read_bytes()
    assert tool.release_docx(release) == (REPO / "corpus" / release["file"]).read_bytes()


def test_corpus_pdf_has_pages_with_furniture_and_the_docx_its_styles() -> None:
    brief = _source("scooter_brief.json")
    raw, _ = read_path(REPO / "corpus" / brief["file"])
    pages = [page for page in raw.split("\f") if page.strip()]
    assert len(pages) >= 2
    assert all(page.strip().split("\n")[0] == brief["header"] for page in pages)
    _, source = read_path(REPO / "corpus" / _source("culture_release.json")["file"])
    assert [role for _, _, role in source.marks] == ["title", "heading", "heading"]
