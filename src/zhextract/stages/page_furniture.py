"""Running headers, footers and page numbers of paged text (PDF text layers, pdftotext
output), recognised at the page breaks (form feeds) and taken out of the text.

A page number is a line such as `- 1 -`, `第 2 頁`, `第2頁，共10頁`, `2/10` or `Page 3`
standing among the first or last lines of a page (a bare number counts only when it
recurs, as below). A running header or
footer is a short line among the first or last lines of a page that recurs, with only
its digits changing, at the same edge of at least two pages and of half of them. The
characters of such lines (and the form feeds) are dropped together with their source
offsets, so the text never holds them and the lines around them join up as if the page
had not broken.
"""

from __future__ import annotations

import re
from collections import Counter

PAGE_BREAK = "\f"
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be furniture
MAX_FURNITURE_CHARS = 60
PAGE_NUMBER = re.compile(
    r"[-–—－]\s*\d{1,4}\s*[-–—－]"
    r"|第\s*\d{1,4}\s*頁(?:\s*[，,/／]?\s*共\s*\d{1,4}\s*頁)?"
    r"|(?:共\s*\d{1,4}\s*頁\s*[，,]?\s*)第\s*\d{1,4}\s*頁"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d+")
SPACES = re.compile(r"\s+")

# A line of the text: (start, end) offsets, the end before its newline.
LineSpan = tuple[int, int]


def drop_page_furniture(text: str, sources: list[int]) -> tuple[str, list[int]]:
    """`text` (and the source offset of each of its characters) without the page
    furniture and the page breaks."""
    pages = _pages(text)
    dropped = [False] * len(text)
    for start, end in _furniture(text, pages):
        # The line and its newline go, so the lines around it meet.
        stop = end + 1 if end < len(text) and text[end] == "\n" else end
        dropped[start:stop] = [True] * (stop - start)
    for index, char in enumerate(text):
        if char == PAGE_BREAK:
            dropped[index] = True
    kept = [index for index, gone in enumerate(dropped) if not gone]
    return "".join(text[index] for index in kept), [sources[index] for index in kept]


def _pages(text: str) -> list[list[LineSpan]]:
    """The non-blank lines of each page, as spans (form feeds excluded)."""
    pages: list[list[LineSpan]] = [[]]
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        piece_start = start
        for piece_index, piece in enumerate(line.split(PAGE_BREAK)):
            if piece_index > 0:
                pages.append([])
            if piece.strip():
                pages[-1].append((piece_start, piece_start + len(piece)))
            piece_start += len(piece) + 1
        start = end + 1
    return [page for page in pages if page]


def _furniture(text: str, pages: list[list[LineSpan]]) -> list[LineSpan]:
    edges = [(_edge(page, top=True), _edge(page, top=False)) for page in pages]
    found: list[LineSpan] = []
    for side in (0, 1):
        shapes = Counter(
            shape for page_edges in edges for shape in {_shape(text, s) for s in page_edges[side]}
        )
        needed = max(2, (len(pages) + 1) // 2)
        for page_edges in edges:
            for span in page_edges[side]:
                line = text[span[0] : span[1]].strip()
                if PAGE_NUMBER.fullmatch(line) or shapes[_shape(text, span)] >= needed:
                    found.append(span)
    return found


def _edge(page: list[LineSpan], top: bool) -> list[LineSpan]:
    """The short lines at one edge of a page (a long line is body text)."""
    lines = page[:EDGE_LINES] if top else page[-EDGE_LINES:]
    return [span for span in lines if span[1] - span[0] <= MAX_FURNITURE_CHARS]


def _shape(text: str, span: LineSpan) -> str:
    """A line with its spaces removed and its digits (page numbers, dates) as #."""
    return DIGITS.sub("#", SPACES.sub("", text[span[0] : span[1]]))
