"""Structure stage: title, byline, affiliation, image credit, section headings and notes.

Works on the paragraphs found by `normalize`. Each paragraph gets a `role`; the
document-level facts go to `doc.meta`, headings to `doc.sections` (the heading span plus
the extent of the section's content) and editorial notes to `doc.notes`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from ..doc import Doc, Span
from ..registry import Stage, register_stage

ROC_OFFSET = 1911  # 民國 1 is 1912


@cache
def _cues() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("structure_cues.json").read_text("utf-8")
    cues: dict[str, Any] = json.loads(text)
    return cues


def _pattern(name: str) -> re.Pattern[str]:
    return _compiled_patterns()[name]


@cache
def _compiled_patterns() -> dict[str, re.Pattern[str]]:
    return {name: re.compile(pattern) for name, pattern in _cues()["patterns"].items()}


def is_heading(paragraph: str) -> bool:
    limit: int = _cues()["max_heading_chars"]
    return (
        _pattern("heading").match(paragraph) is not None
        and len(paragraph) <= limit
        and not paragraph.endswith("。")
    )


def _is_short_line(paragraph: str) -> bool:
    limit: int = _cues()["max_preamble_chars"]
    return len(paragraph) <= limit and not paragraph.endswith(("。", "！", "？"))


def _is_affiliation(paragraph: str) -> bool:
    cues = _cues()
    return paragraph.endswith(tuple(cues["position_words"])) or any(
        word in paragraph for word in cues["institution_words"]
    )


def _byline_name(paragraph: str) -> str | None:
    match = _pattern("byline").fullmatch(paragraph)
    return match.group("name") if match else None


@register_stage(
    "structure", requires=("text", "paragraphs"), provides=("meta", "sections", "notes")
)
def make_structure_stage() -> Stage:
    def structure(doc: Doc) -> None:
        for paragraph in doc.paragraphs:
            paragraph["role"] = "body"
        _mark_credits_and_notes(doc)
        _mark_fields(doc)
        _mark_styled_lines(doc)
        _mark_headings(doc)
        _mark_preamble(doc)
        _read_dateline(doc)

    return structure


def _mark_credits_and_notes(doc: Doc) -> None:
    for paragraph in doc.paragraphs:
        text = doc.text[paragraph["start"] : paragraph["end"]]
        credit = _pattern("image_credit").match(text)
        if credit:
            paragraph["role"] = "image_credit"
            doc.meta["image_credit"] = text[credit.end() :].strip()
            continue
        note = _pattern("note").match(text)
        if note:
            paragraph["role"] = "note"
            doc.notes.append(_note(doc, paragraph, note.group("kind")))


def _mark_fields(doc: Doc) -> None:
    """`發布日期：…`-style header and contact lines of press releases."""
    meta_keys: dict[str, str] = _cues()["field_meta_keys"]
    for paragraph in doc.paragraphs:
        text = _text(doc, paragraph)
        if paragraph["role"] != "body":
            continue
        if _pattern("document_kind").match(text) and paragraph is doc.paragraphs[0]:
            paragraph["role"] = "document_kind"
            doc.meta["document_kind"] = text
            continue
        field = _pattern("field").match(text)
        if field:
            paragraph["role"] = "field"
            key, value = field.group("key"), field.group("value").strip()
            doc.meta.setdefault("fields", {})[key] = value
            if key in meta_keys:
                meta_key = meta_keys[key]
                if meta_key == "published":
                    value = field_date(value) or value
                doc.meta.setdefault(meta_key, value)


def field_date(value: str) -> str | None:
    """The ISO date of a date field's value: `113-10-08`, `113.10.08`, `113/10/08` and
    `民國113年10月8日` are 民國 years (two or three digits, +1911); four digits are
    Gregorian. None when the value does not start with a valid full date."""
    match = _pattern("field_date").match(value)
    if match is None:
        return None
    year = int(match.group("year"))
    if len(match.group("year")) < 4:
        year += ROC_OFFSET
    month = match.group("month") or match.group("month_cn")
    day = match.group("day") or match.group("day_cn")
    try:
        return dt.date(year, int(month), int(day)).isoformat()
    except ValueError:
        return None


def _mark_styled_lines(doc: Doc) -> None:
    """Titles and headings that the file's own styles mark (a Word heading style): the
    paragraphs inside a marked source line take its role."""
    marks = sorted(doc.source.marks)
    if not marks:
        return
    starts = [start for start, _, _ in marks]
    for paragraph in doc.paragraphs:
        if paragraph["role"] != "body" or paragraph["end"] <= paragraph["start"]:
            continue
        source_start, source_end = doc.source_span(paragraph["start"], paragraph["end"])
        index = bisect.bisect_right(starts, source_start) - 1
        if index >= 0 and source_end <= marks[index][1]:
            role = marks[index][2]
            if role == "heading" or (role == "title" and not _has_role(doc, "title")):
                paragraph["role"] = role


def _read_dateline(doc: Doc) -> None:
    """A news dateline such as `【記者王小明／臺北報導】` names the author and place."""
    body = next((p for p in doc.paragraphs if p["role"] == "body"), None)
    match = _pattern("dateline").match(_text(doc, body)) if body else None
    if not match:
        return
    if match.group("name"):
        doc.meta.setdefault("author", match.group("name"))
    if match.group("place"):
        doc.meta.setdefault("dateline_place", match.group("place"))


def _note(doc: Doc, paragraph: Span, kind: str) -> Span:
    note = doc.span(paragraph["start"], paragraph["end"], kind=kind)
    publisher = _pattern("publisher").search(note["text"])
    if publisher:
        note["publisher"] = publisher.group("publisher")
        doc.meta.setdefault("publisher", note["publisher"])
    return note


def _mark_headings(doc: Doc) -> None:
    headings = [
        p
        for p in doc.paragraphs
        if p["role"] == "heading" or (p["role"] == "body" and is_heading(_text(doc, p)))
    ]
    for paragraph in headings:
        paragraph["role"] = "heading"
    next_starts = [p["start"] for p in headings[1:]] + [len(doc.text) + 1]
    for paragraph, next_start in zip(headings, next_starts):
        content_end = _content_end(doc, next_start)
        start, end = paragraph["start"], paragraph["end"]
        doc.sections.append(
            {
                "heading": doc.text[start:end],
                "start": start,
                "end": end,
                "content_start": min(end + 1, content_end),
                "content_end": max(content_end, end),
            }
        )


def _content_end(doc: Doc, before: int) -> int:
    """End of the last body or heading paragraph that starts before `before`."""
    ends = [
        int(p["end"])
        for p in doc.paragraphs
        if p["start"] < before and p["role"] in ("body", "heading")
    ]
    return max(ends, default=0)


def _mark_preamble(doc: Doc) -> None:
    """Title, author and affiliation: the short lines before the first heading or body text."""
    preamble = []
    for paragraph in doc.paragraphs:
        if paragraph["role"] in ("image_credit", "field", "document_kind"):
            continue
        styled_title = paragraph["role"] == "title"
        if not styled_title and (
            paragraph["role"] != "body" or not _is_short_line(_text(doc, paragraph))
        ):
            break
        preamble.append(paragraph)
    if preamble and not (len(preamble) == 1 and len(doc.paragraphs) == 1):
        _mark_title_and_byline(doc, preamble)
    title_elsewhere = next((p for p in doc.paragraphs if p["role"] == "title"), None)
    if title_elsewhere is not None and "title" not in doc.meta:  # styled, after the body began
        doc.meta["title"] = spaced_title(doc, title_elsewhere)


def _mark_title_and_byline(doc: Doc, preamble: list[Span]) -> None:
    """The styled title, else the first line that is no news byline, is the title; the
    other lines are bylines, affiliations or a subtitle."""
    bylines = {id(p) for p in preamble if _pattern("news_byline").match(_text(doc, p))}
    title = next((p for p in preamble if p["role"] == "title"), None) or next(
        (p for p in preamble if id(p) not in bylines), None
    )
    if title is not None:
        title["role"] = "title"
        doc.meta["title"] = spaced_title(doc, title)
    for paragraph in preamble:
        if paragraph is not title:
            _mark_byline_or_affiliation(doc, paragraph)


def spaced_title(doc: Doc, title: Span) -> str:
    """The title paragraph's text with one space wherever the source separates two parts
    of it by spaces (`大漲逾600點　成交值衝上`): the normalize stage drops spaces between
    CJK characters, a title's spaced parts are phrases. Plain spaces beside Latin
    letters or digits (`2月 7 日`, PDF extraction's) and spaces between single
    characters (`新 聞 稿`, letter-spacing) are no separators."""
    start, end = title["start"], title["end"]
    text = doc.text
    if len(doc.offset_map) != len(text) + 1:
        return text[start:end]
    gaps = [index for index in range(start + 1, end) if _separated(doc, index)]
    bounds = [start, *gaps, end]
    kept = [
        gap
        for before, gap, after in zip(bounds, bounds[1:], bounds[2:])
        if gap - before >= 2 and after - gap >= 2
    ]
    parts = [text[a:b] for a, b in zip([start, *kept], [*kept, end])]
    return " ".join(parts)


def _separated(doc: Doc, index: int) -> bool:
    """Whether the source holds only spaces (at least one) between text[index - 1] and
    text[index], neither of which is a space, and either the spaces include an
    ideographic one (typed on purpose) or neither neighbour is a Latin letter or digit."""
    left, right = doc.text[index - 1], doc.text[index]
    if left.isspace() or right.isspace():
        return False
    gap = doc.raw[doc.offset_map[index - 1] + 1 : doc.offset_map[index]]
    if not gap or gap.strip(" \t\u00a0\u3000"):
        return False
    return "\u3000" in gap or not (left.isascii() or right.isascii())


def _mark_byline_or_affiliation(doc: Doc, paragraph: Span) -> None:
    text = _text(doc, paragraph)
    if _read_news_byline(doc, paragraph):
        return
    name = _byline_name(text)
    if name and not _has_role(doc, "author"):
        paragraph["role"] = "author"
        doc.meta.setdefault("author", name)
    elif _is_affiliation(text) and "affiliation" not in doc.meta:
        paragraph["role"] = "affiliation"
        doc.meta["affiliation"] = text
    elif "subtitle" not in doc.meta and not _has_role(doc, "author"):
        paragraph["role"] = "subtitle"
        doc.meta["subtitle"] = text


def _read_news_byline(doc: Doc, paragraph: Span) -> bool:
    """A news byline line, `記者陳怡君／台北報導　2024年10月3日`: the reporter, the
    place and the date (the publication date when nothing earlier gave one)."""
    match = _pattern("news_byline").match(_text(doc, paragraph))
    if match is None or _has_role(doc, "author"):
        return False
    paragraph["role"] = "author"
    doc.meta.setdefault("author", match.group("name"))
    if match.group("place"):
        doc.meta.setdefault("dateline_place", match.group("place"))
    published = field_date(match.group("date") or "")
    if published:
        doc.meta.setdefault("published", published)
    return True


def _has_role(doc: Doc, role: str) -> bool:
    return any(paragraph["role"] == role for paragraph in doc.paragraphs)


def _text(doc: Doc, span: Span) -> str:
    return doc.text[span["start"] : span["end"]]
