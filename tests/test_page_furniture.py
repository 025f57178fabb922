"""PDF pages: running headers, footers and page numbers leave the text; bylines stay apart."""

from __future__ import annotations

import pytest
from test_reading import minimal_pdf

import zhextract
from zhextract.reading import read_document
from zhextract.stages.normalize import normalize_text

HEADER = "台灣能源政策研究中心　政策簡報"
FOOTER = "本簡報內容僅供參考，不代表本中心立場"
TITLE = "離岸風電第三階段區塊開發的三個課題"
AFFILIATION = "台灣能源政策研究中心研究員"
# A paragraph that the page break splits between 並且 and 提高.
FIRST_PAGE_BODY = [
    "經濟部能源署去年公布第三階段區塊開發規劃，預計每年釋出約1.5GW的併網容量，",
    "但國產化要求與電價機制仍未定案，開發商普遍認為融資風險升高，各方都期待政府",
    "盡快提出明確的時程，並在審查會議前公開評選的項目與配分，讓開發商能及早準備並且",
]
SECOND_PAGE_BODY = [
    "提高審查的透明度。能源署表示，今年底前將完成第一期選商，總投資金額估計超過",
    "新臺幣3,000億元，帶動在地供應鏈的就業機會約1萬2,000個，並可減少碳排放。",
]


def _pages(numbers: tuple[str, str]) -> list[list[str]]:
    return [
        [
            HEADER,
            TITLE,
            "作者：林子豪",
            AFFILIATION,
            "一、前言",
            *FIRST_PAGE_BODY,
            FOOTER,
            numbers[0],
        ],
        [HEADER, *SECOND_PAGE_BODY, "二、結語", "政府應盡速定案。", FOOTER, numbers[1]],
    ]


PAGE_NUMBERS = [
    ("- 1 -", "- 2 -"),
    ("第 1 頁", "第 2 頁"),
    ("1/2", "2/2"),
    ("第1頁，共2頁", "第2頁，共2頁"),
    ("1", "2"),
]


@pytest.mark.parametrize("numbers", PAGE_NUMBERS)
def test_headers_footers_and_page_numbers_leave_the_text(numbers: tuple[str, str]) -> None:
    raw, source = read_document(minimal_pdf(_pages(numbers)), "brief.pdf", "pdf")
    record = zhextract.load("fast")(raw, source=source)
    assert record["text"].split("\n") == [
        TITLE,
        "作者：林子豪",
        AFFILIATION,
        "一、前言",
        "".join(FIRST_PAGE_BODY + SECOND_PAGE_BODY),  # joined across the page break
        "二、結語",
        "政府應盡速定案。",
    ]
    assert [p["role"] for p in record["paragraphs"]][:3] == ["title", "author", "affiliation"]
    assert (record["meta"]["author"], record["meta"]["affiliation"]) == ("林子豪", AFFILIATION)
    assert not [e for e in record["entities"] if "林子豪" in e["text"] and e["text"] != "林子豪"]
    values = {item["text"]: item["value"] for item in record["figures"]}
    assert values["超過新臺幣3,000億元"] == 300000000000
    assert not set(values) & {*numbers, "1", "2", "-1", "-2", "1/2", "2/2"}


def test_dropped_lines_have_no_source_offsets_in_the_text() -> None:
    raw, _ = read_document(minimal_pdf(_pages(("- 1 -", "- 2 -"))), "brief.pdf", "pdf")
    text, offsets, _ = normalize_text(raw)
    furniture = [HEADER, FOOTER, "- 1 -", "- 2 -"]
    dropped = {
        offset
        for line in furniture
        for start in _all_starts(raw, line)
        for offset in range(start, start + len(line))
    }
    assert dropped and not dropped & set(offsets)
    assert "\f" not in text
    assert all(raw[offsets[index]] == char for index, char in enumerate(text))


def _all_starts(text: str, part: str) -> list[int]:
    starts, start = [], text.find(part)
    while start >= 0:
        starts.append(start)
        start = text.find(part, start + 1)
    return starts


def test_lines_that_recur_once_or_stand_mid_page_stay() -> None:
    """A heading at the top of one page only, a ratio in the middle of a page and a
    header that appears on one of three pages are text, not furniture."""
    pages = [
        [
            "一、現況",
            "風場共有三處，完成比例為",
            "2/3",
            "其餘仍在環評。",
            "預計明年完成。",
            "屆時再行檢討。",
        ],
        ["二、課題", "併網時程延後。"],
        ["本頁附錄", "附表一、風場清單。"],
    ]
    raw = "".join("\n".join(lines) + "\n\f" for lines in pages)
    text, _, _ = normalize_text(raw)
    for line in ["一、現況", "2/3", "二、課題", "本頁附錄"]:
        assert line in text


def test_form_feeds_go_and_text_without_page_breaks_keeps_its_lines() -> None:
    text, _, _ = normalize_text("第一段內容。\n- 1 -\n第二段內容。\n")
    assert "- 1 -" in text  # not paged: nothing says this line is a page number
    text, _, _ = normalize_text("第一段內容。\n- 1 -\n\f第二段內容。\n- 2 -\n\f")
    assert text == "第一段內容。\n第二段內容。"


def test_byline_line_in_wrapped_text_keeps_the_affiliation_apart() -> None:
    wrapped = [
        "珊瑚礁監測的下一步",
        "作者：陳品妤",
        "國立中山大學海洋事務研究所助理教授",
        "海洋保育署今年推動的珊瑚礁監測計畫已經進入第二年，參與的志工人數較去年增",
        "加將近一倍，監測範圍也從墾丁延伸到綠島與蘭嶼，未來將與學術單位合作建立",
        "長期資料庫，供政策研擬與社會大眾查詢，並定期公布監測成果與建議事項，讓",
        "民眾了解珊瑚礁的現況。",
    ]
    text, _, _ = normalize_text("\n".join(wrapped) + "\n")
    assert text.split("\n") == [*wrapped[:3], "".join(wrapped[3:])]
    record = zhextract.load("fast")("\n".join(wrapped))
    assert (record["meta"]["author"], record["meta"]["affiliation"]) == ("陳品妤", wrapped[2])
