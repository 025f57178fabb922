"""HTML pages: the date and author from JSON-LD, <meta> tags or trafilatura's metadata,
and the byline kept in the text."""

from __future__ import annotations

import json

import pytest

import zhextract
from zhextract.reading import read_html_bytes
from zhextract.reading_html import iso_date

STORY = "".join(
    f"<p>{sentence}</p>\n"
    for sentence in [
        "台南市政府今（12）日宣布，安平港周邊的親水步道將在本週六全線開放，全長約3.2公里。",
        "市府表示，步道工程去年動工，總經費新臺幣1億8,000萬元，由中央與地方各分擔一半。",
        "工務局指出，步道沿線設置12處休憩平台與夜間照明，並於昨天完成最後一次安全檢查。",
        "觀光旅遊局預估，開放後每月可吸引約5萬人次遊客，帶動周邊店家營收成長。",
        "市長也提醒民眾，下週起步道南段將配合港區作業，每日清晨6時至8時暫停通行。",
    ]
)
TITLE = "安平親水步道週六全線開放"
BYLINE = "記者黃郁婷／台南報導　2025年3月12日"


def _page(head: str = "", byline: str = "", body_before: str = "", body_after: str = "") -> bytes:
    return (
        '<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">'
        f"<title>{TITLE} - 南方新聞網</title>{head}</head><body>"
        f'<nav><a href="/">首頁</a><a href="/local">地方</a></nav>{body_before}'
        f"<article><h1>{TITLE}</h1>{byline}{STORY}</article>"
        f"<footer>南方新聞網 版權所有</footer>{body_after}</body></html>"
    ).encode()


def _json_ld(**fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


BYLINE_DIV = f'<div class="article-byline"><span class="author">{BYLINE}</span></div>'


def _record(data: bytes, doc_date: str | None = None) -> dict:
    text, source = read_html_bytes(data, "page.html")
    return zhextract.load("fast")(text, doc_date=doc_date, source=source)


def _date_of(record: dict, surface: str) -> str | None:
    return next(item["value"] for item in record["dates"] if item["text"] == surface)


def test_json_ld_gives_date_and_author_and_the_byline_stays_in_the_text() -> None:
    head = _json_ld(
        headline=TITLE,
        datePublished="2025-03-12T09:40:00+08:00",
        author=[{"@type": "Person", "name": "黃郁婷"}, {"@type": "Person", "name": "蔡明哲"}],
    )
    record = _record(_page(head=head, byline=BYLINE_DIV))
    meta = record["meta"]
    assert meta["published"] == "2025-03-12"
    assert meta["author"] == "黃郁婷、蔡明哲"
    assert meta["dateline_place"] == "台南"
    lines = record["text"].split("\n")
    assert lines[0] == TITLE
    assert lines[1].startswith("記者黃郁婷／台南報導")
    assert [p["role"] for p in record["paragraphs"]][:3] == ["title", "author", "body"]
    assert _date_of(record, "今（12）日") == "2025-03-12"
    assert _date_of(record, "昨天") == "2025-03-11"
    assert record["doc_date"] is None


def test_meta_tags_give_date_and_author_without_json_ld() -> None:
    head = (
        '<meta property="article:published_time" content="2025-03-12T09:40:00+08:00">'
        '<meta name="author" content="黃郁婷">'
    )
    record = _record(_page(head=head))
    assert record["meta"]["published"] == "2025-03-12"
    assert record["meta"]["author"] == "黃郁婷"
    assert _date_of(record, "今（12）日") == "2025-03-12"


def test_json_ld_outranks_meta_tags_and_broken_json_ld_is_ignored() -> None:
    meta_tags = '<meta name="pubdate" content="2025-03-10"><meta name="author" content="編輯部">'
    good = _json_ld(datePublished="2025-03-12", author="黃郁婷")
    record = _record(_page(head=meta_tags + good))
    assert (record["meta"]["published"], record["meta"]["author"]) == ("2025-03-12", "黃郁婷")
    broken = '<script type="application/ld+json">{"datePublished": "2025-03-12",</script>'
    record = _record(_page(head=meta_tags + broken))
    assert (record["meta"]["published"], record["meta"]["author"]) == ("2025-03-10", "編輯部")


def test_byline_alone_gives_author_place_and_date() -> None:
    """No metadata at all: the byline line in the text is what the structure stage reads
    (trafilatura takes the byline element's text as the author; that is not a name)."""
    record = _record(_page(byline=BYLINE_DIV))
    assert record["meta"]["author"] == "黃郁婷"
    assert record["meta"]["published"] == "2025-03-12"
    assert _date_of(record, "今（12）日") == "2025-03-12"


def test_page_without_date_or_author_has_none() -> None:
    record = _record(_page())
    assert "published" not in record["meta"]
    assert "author" not in record["meta"]
    assert _date_of(record, "今（12）日") is None
    assert record["text"].split("\n")[:2] == [TITLE, STORY.split("</p>")[0].removeprefix("<p>")]


def test_doc_date_given_wins_over_the_page_date() -> None:
    head = _json_ld(datePublished="2025-03-12")
    record = _record(_page(head=head), doc_date="2025-04-12")
    assert record["meta"]["published"] == "2025-03-12"
    assert _date_of(record, "今（12）日") == "2025-04-12"


def test_author_links_in_navigation_and_footer_are_no_byline() -> None:
    nav_author = '<nav><a class="author" href="/a/9">專欄作家群</a></nav>'
    footer_author = '<footer><span class="author">本網記者群</span></footer>'
    text, _ = read_html_bytes(_page(body_before=nav_author, body_after=footer_author), None)
    assert "專欄作家群" not in text and "本網記者群" not in text


def test_byline_the_text_already_has_is_not_repeated() -> None:
    byline_paragraph = f"<p>{BYLINE}</p>"
    text, _ = read_html_bytes(_page(byline=byline_paragraph), None)
    assert text.count("記者黃郁婷") == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-12T09:40:00+08:00", "2025-03-12"),
        ("2025/3/2", "2025-03-02"),
        ("2025-02-30", None),
        ("March 12, 2025", None),
        ("", None),
    ],
)
def test_iso_date_of_page_metadata(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_invalid_page_date_is_not_published() -> None:
    record = _record(_page(head=_json_ld(datePublished="2025-13-45")))
    assert "published" not in record["meta"]


def test_the_article_in_a_json_ld_graph_gives_the_date() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "南方新聞網", "datePublished": "2019-06-01"},
            {"@type": "WebPage", "datePublished": "2020-01-01", "author": "網站管理員"},
            {"@type": "NewsArticle", "datePublished": "2025-03-12", "author": {"name": "黃郁婷"}},
        ],
    }
    script = f'<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False)}</script>'
    record = _record(_page(head=script))
    assert (record["meta"]["published"], record["meta"]["author"]) == ("2025-03-12", "黃郁婷")


def test_an_article_whose_class_names_an_author_is_not_taken_for_a_byline() -> None:
    """A short article (under the byline length) in a container marked `author-note`."""
    page = (
        '<html><head><meta charset="utf-8"></head><body><article class="author-note">'
        "<h1>作者的話</h1><p>感謝讀者一路支持，本專欄下週起暫停更新。</p></article></body></html>"
    )
    text, _ = read_html_bytes(page.encode(), None)
    assert text.split("\n") == ["作者的話", "感謝讀者一路支持，本專欄下週起暫停更新。"]
