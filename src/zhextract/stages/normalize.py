"""Normalize stage: the logical text of a document, with a map back to source offsets.

PDF extraction leaves hard line breaks (often with a blank line after every line),
page-break artefacts (a stray leading space), indentation for paragraph starts and stray
spaces between CJK characters and digits (`今(2025)年 2月 7 日`). This stage drops
running headers, footers and page numbers at page breaks (see `page_furniture`), rejoins
wrapped lines into paragraphs, drops those spaces, folds full-width letters and digits
(NFKC, one character to one character) and records, for every output character, the
source offset it came from.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..doc import Doc
from ..registry import Stage, register_stage
from .page_furniture import PAGE_BREAK, drop_page_furniture

TERMINAL_PUNCT = "。！？!?；;…"
CLOSING_PUNCT = "」』）)】〕》\"'”’"
DROPPED_CHARS = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060"}
# Line breaks other than "\n": CR (alone, or before LF, as on Windows), vertical tab, NEL
# and the line separator end a line; form feed (a page end) and the paragraph separator
# end a paragraph (a blank line).
OTHER_BREAK = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
PARAGRAPH_BREAKS = {"\x0c", "\u2029"}
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
SPACE_CHARS = {" ", "\t", "\u00a0", "\u3000", "\u2002", "\u2003", "\u2009", "\u202f"}
SPACE_RUN = re.compile("[ \u3000]+")  # spaces left after folding
PARAGRAPH_START = re.compile(
    r"[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|第[一二三四五六七八九十百0-9]+[章節條篇][、\s：:]"
    r"|(?:編按|編者按|註|附註|資料來源|圖片來源|發布日期|發佈日期|新聞聯絡人|作者)[：:]"
    r"|[0-9]{1,2}[、．]"
)


# A line that is only a byline (`作者：李文傑`) ends its paragraph even in hard-wrapped
# text, so the affiliation line after it stays apart.
BYLINE_LINE = re.compile(
    r"(?:作者|撰文|文|記者|譯者|編譯)\s*[：:／/]\s*[\u4e00-\u9fff·]{2,5}"
    r"(?:\s*[、，,]\s*[\u4e00-\u9fff·]{2,5})*"
)


@dataclass
class _Line:
    text: str  # the line without its leading and trailing spaces
    start: int  # index of text[0] in the folded text
    indent: int  # leading spaces; an ideographic space counts as two
    trailing_space: bool
    newline_at: int  # source offset of the line break after this line


def normalize_text(raw: str) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Logical text, offset map (len(text) + 1 entries) and paragraph spans of `raw`."""
    folded, sources = _fold_characters(raw)
    if PAGE_BREAK in folded:
        folded, sources = drop_page_furniture(folded, sources)
    lines, gaps = _split_lines(folded, sources)
    if not lines:
        return "", [len(raw)], []
    texts: list[str] = []
    offsets: list[int] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for paragraph, paragraph_offsets in _group_paragraphs(lines, gaps, sources):
        cleaned, cleaned_offsets = _drop_stray_spaces(paragraph, paragraph_offsets)
        if not cleaned:
            continue
        if spans:
            texts.append("\n")
            offsets.append(offsets[-1] + 1)
            length += 1
        texts.append(cleaned)
        offsets.extend(cleaned_offsets)
        spans.append((length, length + len(cleaned)))
        length += len(cleaned)
    offsets.append(offsets[-1] + 1 if offsets else len(raw))
    return "".join(texts), offsets, spans


def _fold_characters(raw: str) -> tuple[str, list[int]]:
    """`raw` with invisible characters dropped, spaces made plain, widths folded, every
    line break made "\n" (a paragraph break "\n\n"; a form feed that starts a line stays, as a
    page break), and the source offset of every character kept."""
    if not OTHER_BREAK.search(raw):
        return _fold_between_breaks(raw, 0)
    texts: list[str] = []
    sources: list[int] = []
    done = 0
    for match in OTHER_BREAK.finditer(raw):
        text, offsets = _fold_between_breaks(raw[done : match.start()], done)
        texts.append(text)
        sources.extend(offsets)
        line_break = "\n\n" if match.group() in PARAGRAPH_BREAKS else "\n"
        if match.group() == PAGE_BREAK and (match.start() == 0 or raw[match.start() - 1] == "\n"):
            # A form feed starting a line is a page break (PDF text layers, pdftotext):
            # page_furniture drops it with the headers, footers and page numbers.
            line_break = PAGE_BREAK
        texts.append(line_break)
        sources.extend([match.end() - 1] * len(line_break))  # CRLF: the LF's offset
        done = match.end()
    text, offsets = _fold_between_breaks(raw[done:], done)
    texts.append(text)
    sources.extend(offsets)
    return "".join(texts), sources


def _fold_between_breaks(raw: str, base: int) -> tuple[str, list[int]]:
    folded = raw.translate(_fold_table())
    if len(folded) == len(raw):
        return folded, list(range(base, base + len(raw)))
    return folded, [base + offset for offset, char in enumerate(raw) if char not in DROPPED_CHARS]


@cache
def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(char): None for char in DROPPED_CHARS}
    table.update((ord(char), " ") for char in SPACE_CHARS if char != "\u3000")
    # A lone surrogate (from text decoded with surrogateescape) cannot be written as UTF-8.
    table.update((code, REPLACEMENT) for code in range(0xD800, 0xE000))
    for code in [*range(0xFF01, 0xFF5F), *range(0xF900, 0xFB00)]:
        folded = _fold_width(chr(code))
        if folded != chr(code):
            table[code] = folded
    return table


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


def _split_lines(folded: str, sources: list[int]) -> tuple[list[_Line], list[int]]:
    """Non-empty lines, and for each line after the first the blank lines before it."""
    lines: list[_Line] = []
    gaps: list[int] = []
    blank_run = 0
    start = 0
    end_offset = sources[-1] + 1 if sources else 0  # where the text's last line ends
    for line_text in folded.split("\n"):
        end = start + len(line_text)
        newline_at = sources[end] if end < len(folded) else end_offset
        line = _make_line(line_text, start, newline_at)
        start = end + 1
        if line is None:
            blank_run += 1
            continue
        if lines:
            gaps.append(blank_run)
        lines.append(line)
        blank_run = 0
    return lines, gaps


def _make_line(line_text: str, start: int, newline_at: int) -> _Line | None:
    without_indent = line_text.lstrip(" \u3000")
    text = without_indent.rstrip(" \u3000")
    if not text:
        return None
    indent = line_text[: len(line_text) - len(without_indent)]
    width = len(indent) + indent.count("\u3000")
    trailing_space = len(text) < len(without_indent)
    return _Line(text, start + len(indent), width, trailing_space, newline_at)


def _group_paragraphs(
    lines: list[_Line], gaps: list[int], sources: list[int]
) -> list[tuple[str, list[int]]]:
    """Paragraph texts with the source offset of each of their characters."""
    double_spaced = len(gaps) >= 3 and sum(gap == 1 for gap in gaps) >= 0.6 * len(gaps)
    hard_gap = 2 if double_spaced else 1
    wrapped = _looks_hard_wrapped(lines)
    median = statistics.median(len(line.text) for line in lines)
    full_length = _full_length(lines)
    paragraphs: list[list[_Line]] = [[lines[0]]]
    for previous, line, gap in zip(lines, lines[1:], gaps):
        is_break = (
            gap >= hard_gap
            or not wrapped
            or _starts_paragraph(line)
            or _ends_paragraph(previous, median)
            or _is_standalone(previous, full_length)
        )
        if is_break:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [_joined(paragraph, sources) for paragraph in paragraphs]


def _joined(lines: list[_Line], sources: list[int]) -> tuple[str, list[int]]:
    """Wrapped lines rejoined: a space (at the line break) only between Latin words."""
    texts: list[str] = []
    offsets: list[int] = []
    for previous, line in zip([None, *lines], lines):
        if previous is not None and _needs_space(previous.text[-1], line.text[0]):
            texts.append(" ")
            offsets.append(previous.newline_at)
        texts.append(line.text)
        offsets.extend(sources[line.start : line.start + len(line.text)])
    return "".join(texts), offsets


def _looks_hard_wrapped(lines: list[_Line]) -> bool:
    """Hard-wrapped text has many lines that run to the full width and end mid-sentence;
    short open-ended lines are titles and headings, not wraps. A short document needs
    at least three such lines, so that a few header fields are not taken for wraps."""
    if len(lines) < 2:
        return False
    full_width = 0.75 * _full_length(lines)
    wrapped_lines = sum(
        len(line.text) >= full_width and line.text[-1] not in TERMINAL_PUNCT + CLOSING_PUNCT + "：:"
        for line in lines[:-1]
    )
    return wrapped_lines >= max(3, 0.3 * (len(lines) - 1))


def _starts_paragraph(line: _Line) -> bool:
    return line.indent >= 2 or PARAGRAPH_START.match(line.text) is not None


def _is_standalone(line: _Line, full_length: int) -> bool:
    """A byline (`作者：李文傑`), or a line less than half the full line length: in
    wrapped text only a title, heading, byline, affiliation or a paragraph's last line
    is that short, and the line after each starts another paragraph."""
    return BYLINE_LINE.fullmatch(line.text) is not None or len(line.text) < 0.5 * full_length


def _full_length(lines: list[_Line]) -> int:
    """The length of a full line: most lines of wrapped text are this long or shorter."""
    lengths = sorted(len(line.text) for line in lines)
    return lengths[round(0.9 * (len(lengths) - 1))]


def _ends_paragraph(line: _Line, median_length: float) -> bool:
    length = len(line.text)
    last = line.text[-1]
    if line.trailing_space and (
        last in TERMINAL_PUNCT + CLOSING_PUNCT or length < 0.85 * median_length
    ):
        return True
    return last in TERMINAL_PUNCT and length < 0.7 * median_length


def _needs_space(left: str, right: str) -> bool:
    return _is_latin(left) and _is_latin(right)


def _is_latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".,;:!?)]}'\"%$&-")


def _drop_stray_spaces(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Keep one space only between Latin/digit runs, between a Latin letter and CJK, or
    where an ideographic space separates two phrases (`大漲逾600點　成交值衝上`,
    `新創企業署　王淑芬科長`; not the letter-spacing of `王　小　明`)."""
    if " " not in text and "\u3000" not in text:
        return text, offsets
    texts: list[str] = []
    kept: list[int] = []
    done = 0
    runs = [run.span() for run in SPACE_RUN.finditer(text)]
    next_starts = [start for start, _ in runs[1:]] + [len(text)]
    for (start, end), next_start in zip(runs, next_starts):
        texts.append(text[done:start])
        kept.extend(offsets[done:start])
        inside = start > 0 and end < len(text)
        separates_phrases = (
            "\u3000" in text[start:end] and start - done >= 2 and next_start - end >= 2
        )
        if inside and (separates_phrases or _keeps_space(text[start - 1], text[end])):
            # The space maps to the ideographic space where one separates the phrases.
            at = start + text[start:end].find("\u3000") if separates_phrases else start
            texts.append(" ")
            kept.append(offsets[at])
        done = end
    texts.append(text[done:])
    kept.extend(offsets[done:])
    return "".join(texts), kept


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
        surrogates = len(LONE_SURROGATE.findall(doc.raw))
        if surrogates:
            doc.warnings.append(
                f"{surrogates} lone surrogate code point(s) replaced with U+FFFD in the text"
            )
        doc.text, doc.offset_map, spans = normalize_text(doc.raw)
        doc.paragraphs = [{"start": start, "end": end} for start, end in spans]

    return normalize
