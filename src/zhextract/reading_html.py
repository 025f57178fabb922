"""What an HTML page says besides its main text: its publication date and author, and the
byline that trafilatura drops as boilerplate.

The date and author come from the page's JSON-LD (`datePublished`, `author`), then its
`<meta>` tags (`article:published_time`, `author`, …), then trafilatura's metadata
extraction (which also reads the URL and other markup, but never guesses a date from
the running text). The byline is the first element marked as one (class, id, itemprop
or rel naming a byline or author) outside navigation, asides and footers; it goes back
into the text after the title line, where a reader sees it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# <meta> names and properties that give the publication date or the author, most specific first.
PUBLISHED_META = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "date",
)
AUTHOR_META = ("author", "article:author", "dc.creator", "byl")
# Attribute words that mark a byline element; class="author-link" and id="byline" both count.
BYLINE_MARKERS = ("byline", "author", "reporter", "writer")
BYLINE_ATTRIBUTES = ("class", "id", "itemprop", "rel")
NOT_IN_ARTICLE = {"nav", "footer", "aside", "script", "style", "noscript"}
# Containers that hold the article itself, never only its byline.
ARTICLE_CONTAINERS = {"html", "body", "main", "article", "section"}
MAX_BYLINE_CHARS = 80
ARTICLE_TYPES = ("Article", "Report", "BlogPosting", "LiveBlogPosting")
ISO_DATE_START = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
ASCII_SPACE_RUN = re.compile("[ \t\r\n\f\v]+")
# trafilatura sometimes gives a whole byline as the author; the structure stage reads
# the name from the byline line instead.
NOT_A_NAME = re.compile("[／/|｜]|報導|記者|特派員")


@dataclass
class PageExtras:
    """`meta`: `published` (ISO date) and `author` where the page states them; `tree`:
    the parsed page without its byline element, for trafilatura to read the main text
    from (left in, a byline can make it fall back to a reader that runs the paragraphs
    together); None when the markup could not be parsed."""

    meta: dict[str, str] = field(default_factory=dict)
    byline: str | None = None
    heading: str | None = None  # the first <h1>, to place the byline after it
    tree: Any = None


def page_extras(markup: str) -> PageExtras:
    """The page's date, author, byline and first heading; empty where the markup has none
    or cannot be parsed (the main text is read separately and reports its own errors)."""
    from trafilatura import load_html

    try:
        tree = load_html(markup)
    except Exception:  # lxml raises several kinds on empty or broken markup
        tree = None
    if tree is None:
        return PageExtras()
    extras = PageExtras(heading=_first_heading(tree), tree=tree)
    published = _json_ld_value(tree, "datePublished") or _meta_content(tree, PUBLISHED_META)
    author = _json_ld_author(tree) or _meta_content(tree, AUTHOR_META)
    if published is None or author is None:
        fallback = _trafilatura_metadata(tree)
        published = published or fallback.get("published")
        author = author or fallback.get("author")
    if published and (iso := iso_date(published)):
        extras.meta["published"] = iso
    if author:
        extras.meta["author"] = author
    extras.byline = _take_byline(tree)
    return extras


def with_byline(text: str, extras: PageExtras) -> str:
    """`text` with the page's byline on its own line after the title line (or first),
    unless the text already holds it."""
    byline = extras.byline
    if not byline or _compact(byline) in _compact(text):
        return text
    first, newline, rest = text.partition("\n")
    if extras.heading and _compact(first) == _compact(extras.heading):
        return f"{first}\n{byline}{newline}{rest}"
    return f"{byline}\n{text}"


def iso_date(value: str) -> str | None:
    """`2024-10-03T18:20:00+08:00` or `2024/10/03` -> `2024-10-03`; None if no valid date."""
    match = ISO_DATE_START.match(value)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def _take_byline(tree: Any) -> str | None:
    """The first byline element's text; the element leaves the tree (its tail stays)."""
    body = tree.find("body")
    for element in (body if body is not None else tree).iter():
        if not isinstance(element.tag, str) or element.tag in NOT_IN_ARTICLE:
            continue
        if not _is_marked_byline(element) or _holds_article(element):
            continue
        if any(ancestor.tag in NOT_IN_ARTICLE for ancestor in element.iterancestors()):
            continue
        text = _squeezed(element.text_content())
        if text and len(text) <= MAX_BYLINE_CHARS:
            element.drop_tree()
            return text
    return None


def _holds_article(element: Any) -> bool:
    return element.tag in ARTICLE_CONTAINERS or next(element.iter("h1", "h2"), None) is not None


def _is_marked_byline(element: Any) -> bool:
    words = " ".join(element.get(name, "") for name in BYLINE_ATTRIBUTES).lower()
    return any(marker in words for marker in BYLINE_MARKERS)


def _first_heading(tree: Any) -> str | None:
    heading = next(tree.iter("h1"), None)
    return _squeezed(heading.text_content()) if heading is not None else None


def _meta_content(tree: Any, names: tuple[str, ...]) -> str | None:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = (meta.get("content") or "").strip()
        if key in names and content:
            found.setdefault(key, content)
    return next((found[name] for name in names if name in found), None)


def _json_ld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        yield from _objects(data)


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in `data`, outer ones first (`@graph` lists included)."""
    pending = deque([data])
    while pending:
        item = pending.popleft()
        if isinstance(item, dict):
            yield item
            pending.extend(value for value in item.values() if isinstance(value, (dict, list)))
        elif isinstance(item, list):
            pending.extend(item)


def _articles_first(tree: Any) -> list[dict[str, Any]]:
    """The page's JSON-LD objects, articles (`NewsArticle`, `Report`, …) before the rest
    (a page also describes itself, its publisher and its breadcrumbs)."""
    objects = list(_json_ld_objects(tree))
    return sorted(objects, key=lambda item: not _is_article(item))


def _is_article(item: dict[str, Any]) -> bool:
    kinds = item.get("@type", "")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind.endswith(ARTICLE_TYPES) for kind in kinds)


def _json_ld_value(tree: Any, key: str) -> str | None:
    for item in _articles_first(tree):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _json_ld_author(tree: Any) -> str | None:
    for item in _articles_first(tree):
        names = list(_author_names(item.get("author")))
        if names:
            return "、".join(dict.fromkeys(names))
    return None


def _author_names(value: Any) -> Iterator[str]:
    if isinstance(value, str) and value.strip():
        yield value.strip()
    elif isinstance(value, dict):
        yield from _author_names(value.get("name"))
    elif isinstance(value, list):
        for item in value:
            yield from _author_names(item)


def _trafilatura_metadata(tree: Any) -> dict[str, str]:
    from trafilatura.metadata import extract_metadata

    try:
        document = extract_metadata(
            tree, date_config={"extensive_search": False, "original_date": True}
        )
    except Exception:  # metadata is optional: a page without it still has its text
        return {}
    found = {"published": document.date, "author": document.author}
    if isinstance(document.author, str) and NOT_A_NAME.search(document.author):
        del found["author"]
    return {key: value for key, value in found.items() if isinstance(value, str) and value}


def _squeezed(text: str) -> str:
    """`text` with runs of ASCII whitespace made one space (an ideographic space stays)."""
    return ASCII_SPACE_RUN.sub(" ", text).strip()


def _compact(text: str) -> str:
    """`text` without any whitespace, to compare texts that trafilatura respaced."""
    return "".join(text.split())
