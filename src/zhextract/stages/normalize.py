"""Normalize stage: the logical text of a document, with a map back to source offsets.

PDF extraction leaves hard line breaks (often with a blank line after every line),
page-break artefacts (a stray leading space), indentation for paragraph starts and stray
spaces between CJK characters and digits (`今(2025)年 2月 7 日`). This stage rejoins
wrapped lines into paragraphs, drops those spaces, folds full-width letters and digits
(NFKC, one character to one character) and records, for every output character, the
source offset it came from.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

from ..doc import Doc
from ..registry import Stage, register_stage

TERMINAL_PUNCT = "。！？!?；;…"
CLOSING_PUNCT = "」』）)】〕》\"'”’"
DROPPED_CHARS = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\r"}
SPACE_CHARS = {" ", "\t", "\u00a0", "\u3000", "\u2002", "\u2003", "\u2009", "\u202f"}
PARAGRAPH_START = re.compile(
    r"[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|第[一二三四五六七八九十百0-9]+[章節條篇][、\s：:]"
    r"|(?:編按|編者按|註|附註|資料來源|圖片來源|發布日期|發佈日期|新聞聯絡人|作者)[：:]"
    r"|[0-9]{1,2}[、．]"
)


@dataclass
class _Line:
    chars: list[tuple[str, int]]  # (character, source offset)
    indent: int  # leading spaces; an ideographic space counts as two
    trailing_space: bool
    newline_at: int  # source offset of the line break after this line

    @property
    def content(self) -> str:
        return "".join(char for char, _ in self.chars)


def normalize_text(raw: str) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Logical text, offset map (len(text) + 1 entries) and paragraph spans of `raw`."""
    lines, gaps = _split_lines(_fold_characters(raw))
    if not lines:
        return "", [len(raw)], []
    paragraphs = _group_paragraphs(lines, gaps)
    text_chars: list[str] = []
    offsets: list[int] = []
    spans: list[tuple[int, int]] = []
    for paragraph in paragraphs:
        cleaned = _drop_stray_spaces(paragraph)
        if not cleaned:
            continue
        if spans:
            text_chars.append("\n")
            offsets.append(offsets[-1] + 1)
        start = len(text_chars)
        for char, offset in cleaned:
            text_chars.append(char)
            offsets.append(offset)
        spans.append((start, len(text_chars)))
    offsets.append(offsets[-1] + 1 if offsets else len(raw))
    return "".join(text_chars), offsets, spans


def _fold_characters(raw: str) -> list[tuple[str, int]]:
    folded = []
    for offset, char in enumerate(raw):
        if char in DROPPED_CHARS:
            continue
        if char in SPACE_CHARS:
            folded.append((" " if char != "\u3000" else "\u3000", offset))
            continue
        folded.append((_fold_width(char), offset))
    return folded


def _fold_width(char: str) -> str:
    """NFKC for one character when it stays one character and is not CJK punctuation."""
    code = ord(char)
    fullwidth_alnum = (
        0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A
    )
    if fullwidth_alnum or char in "％＋－．＄＃＆＠" or 0xF900 <= code <= 0xFAFF:
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1:
            return folded
    return char


def _split_lines(chars: list[tuple[str, int]]) -> tuple[list[_Line], list[int]]:
    """Non-empty lines, and for each line after the first the blank lines before it."""
    lines: list[_Line] = []
    gaps: list[int] = []
    blank_run = 0
    current: list[tuple[str, int]] = []
    for char, offset in [*chars, ("\n", chars[-1][1] + 1 if chars else 0)]:
        if char != "\n":
            current.append((char, offset))
            continue
        line = _make_line(current, offset)
        current = []
        if line is None:
            blank_run += 1
            continue
        if lines:
            gaps.append(blank_run)
        lines.append(line)
        blank_run = 0
    return lines, gaps


def _make_line(chars: list[tuple[str, int]], newline_at: int) -> _Line | None:
    indent = 0
    while indent < len(chars) and chars[indent][0] in (" ", "\u3000"):
        indent += 1
    end = len(chars)
    while end > indent and chars[end - 1][0] in (" ", "\u3000"):
        end -= 1
    if end == indent:
        return None
    width = sum(2 if char == "\u3000" else 1 for char, _ in chars[:indent])
    return _Line(chars[indent:end], width, end < len(chars), newline_at)


def _group_paragraphs(lines: list[_Line], gaps: list[int]) -> list[list[tuple[str, int]]]:
    double_spaced = len(gaps) >= 3 and sum(gap == 1 for gap in gaps) >= 0.6 * len(gaps)
    hard_gap = 2 if double_spaced else 1
    wrapped = _looks_hard_wrapped(lines)
    median = statistics.median(len(line.chars) for line in lines)
    paragraphs = [list(lines[0].chars)]
    for previous, line, gap in zip(lines, lines[1:], gaps):
        is_break = (
            gap >= hard_gap
            or not wrapped
            or _starts_paragraph(line)
            or _ends_paragraph(previous, median)
        )
        if is_break:
            paragraphs.append(list(line.chars))
            continue
        if _needs_space(previous.chars[-1][0], line.chars[0][0]):
            paragraphs[-1].append((" ", previous.newline_at))
        paragraphs[-1].extend(line.chars)
    return paragraphs


def _looks_hard_wrapped(lines: list[_Line]) -> bool:
    """Hard-wrapped text has many lines that run to the full width and end mid-sentence;
    short open-ended lines are titles and headings, not wraps. A short document needs
    at least three such lines, so that a few header fields are not taken for wraps."""
    if len(lines) < 2:
        return False
    lengths = sorted(len(line.chars) for line in lines)
    full_width = 0.75 * lengths[round(0.9 * (len(lengths) - 1))]
    wrapped_lines = sum(
        len(line.chars) >= full_width
        and line.chars[-1][0] not in TERMINAL_PUNCT + CLOSING_PUNCT + "：:"
        for line in lines[:-1]
    )
    return wrapped_lines >= max(3, 0.3 * (len(lines) - 1))


def _starts_paragraph(line: _Line) -> bool:
    return line.indent >= 2 or PARAGRAPH_START.match(line.content) is not None


def _ends_paragraph(line: _Line, median_length: float) -> bool:
    length = len(line.chars)
    last = line.chars[-1][0]
    if line.trailing_space and (
        last in TERMINAL_PUNCT + CLOSING_PUNCT or length < 0.85 * median_length
    ):
        return True
    return last in TERMINAL_PUNCT and length < 0.7 * median_length


def _needs_space(left: str, right: str) -> bool:
    return _is_latin(left) and _is_latin(right)


def _is_latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".,;:!?)]}'\"%$&-")


def _drop_stray_spaces(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Keep one space only between Latin/digit runs, or between a Latin letter and CJK."""
    kept: list[tuple[str, int]] = []
    index = 0
    while index < len(chars):
        char, offset = chars[index]
        if char not in (" ", "\u3000"):
            kept.append((char, offset))
            index += 1
            continue
        run_end = index
        while run_end < len(chars) and chars[run_end][0] in (" ", "\u3000"):
            run_end += 1
        if kept and run_end < len(chars) and _keeps_space(kept[-1][0], chars[run_end][0]):
            kept.append((" ", offset))
        index = run_end
    return kept


def _keeps_space(left: str, right: str) -> bool:
    if _is_latin(left) and _is_latin(right):
        return True
    letter_beside_cjk = (left.isascii() and left.isalpha() and _is_ideograph(right)) or (
        right.isascii() and right.isalpha() and _is_ideograph(left)
    )
    return letter_beside_cjk


def _is_ideograph(char: str) -> bool:
    return unicodedata.category(char) == "Lo" and not char.isascii()


@register_stage("normalize", requires=("raw",), provides=("text", "paragraphs"))
def make_normalize_stage() -> Stage:
    def normalize(doc: Doc) -> None:
        doc.text, doc.offset_map, spans = normalize_text(doc.raw)
        doc.paragraphs = [{"start": start, "end": end} for start, end in spans]

    return normalize
