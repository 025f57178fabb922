"""Dates since issues 13 and 14: ROC dates with dashes, dots and slashes; comparisons
(去年同期) that are no anchor for later dates; relative weeks, ten-day periods, quarters and
halves; day-of-month without a month by the news convention."""

from __future__ import annotations

import pytest

import zhextract


def dates(text: str, doc_date: str | None = "2025-03-10") -> list[tuple[str, str | None]]:
    record = zhextract.extract(text, doc_date)
    for item in record["dates"]:
        assert record["text"][item["start"] : item["end"]] == item["text"]
    return [(item["text"], item["value"]) for item in record["dates"]]


def figures(text: str) -> list[str]:
    return [item["text"] for item in zhextract.extract(text)["figures"]]


@pytest.mark.parametrize("text", ["112-05-17", "112.05.17", "112/05/17", "112/5/17"])
def test_roc_dates_with_separators(text: str) -> None:
    assert dates(f"會議於{text}召開") == [(text, "2023-05-17")]
    assert figures(f"會議於{text}召開") == []


def test_a_stated_roc_date_anchors_relative_dates() -> None:
    assert dates("發布日期：114-01-06\n本部今（6）日表示", None) == [
        ("114-01-06", "2025-01-06"),
        ("今（6）日", "2025-01-06"),
    ]


@pytest.mark.parametrize("text", ["版本10.5.3", "IP 192.168.1.1", "比分113-10", "共99.5.1"])
def test_dotted_numbers_that_are_not_roc_dates(text: str) -> None:
    assert dates(text) == []


def test_a_comparison_period_is_no_anchor() -> None:
    assert dates("去年同期成長3.1%。其中5月2日當天，5月營收", "2025-06-10") == [
        ("去年", "2024"),
        ("5月2日", "2025-05-02"),
        ("5月", "2025-05"),
    ]


def test_a_stated_year_still_anchors() -> None:
    assert dates("去年11月成長，12月也是", "2025-06-10") == [
        ("去年11月", "2024-11"),
        ("12月", "2024-12"),
    ]


def periods(text: str, doc_date: str | None = "2025-03-12") -> list[tuple[object, ...]]:
    record = zhextract.extract(text, doc_date)
    return [(d["text"], d["value"], d.get("range"), d.get("basis")) for d in record["dates"]]


def test_weeks() -> None:
    assert periods("上週開會，本週再議，下星期定案") == [
        ("上週", "2025-W10", ["2025-03-03", "2025-03-09"], "doc_date"),
        ("本週", "2025-W11", ["2025-03-10", "2025-03-16"], "doc_date"),
        ("下星期", "2025-W12", ["2025-03-17", "2025-03-23"], "doc_date"),
    ]
    assert periods("一週內完成，週末休息") == []


def test_ten_day_periods_and_month_ends() -> None:
    assert periods("預計6月下旬完工，本月底前") == [
        ("6月下旬", "2025-06", ["2025-06-21", "2025-06-30"], "doc_date"),
        ("本月底前", "2025-03", ["2025-03-21", "2025-03-31"], "doc_date"),
    ]
    assert periods("2024年2月中旬") == [
        ("2024年2月中旬", "2024-02", ["2024-02-11", "2024-02-20"], None)
    ]
    assert periods("年底前完成", None) == [("年底前", None, None, None)]


def test_quarters_and_halves_are_dates() -> None:
    assert periods("2024年第4季營收，今年上半年") == [
        ("2024年第4季", "2024-Q4", ["2024-10-01", "2024-12-31"], None),
        ("今年上半年", "2025-H1", ["2025-01-01", "2025-06-30"], "doc_date"),
    ]
    assert periods("第二季度毛利率") == [
        ("第二季度", "2025-Q2", ["2025-04-01", "2025-06-30"], "doc_date")
    ]
    record = zhextract.extract("2023年第一季，第三季", None)
    assert [(d["value"], d.get("basis")) for d in record["dates"]] == [
        ("2023-Q1", None),
        ("2023-Q3", "text"),
    ]
    assert record["figures"] == []
    assert periods("第五季開播", None) == []


def test_a_bare_day_by_the_news_convention() -> None:
    assert periods("川普20日宣布", "2025-03-12") == [("20日", "2025-02-20", None, "doc_date")]
    assert periods("川普5日宣布", "2025-03-12") == [("5日", "2025-03-05", None, "doc_date")]
    assert periods("將於20日宣布", "2025-03-12") == [("20日", "2025-03-20", None, "doc_date")]
    assert periods("預計5日抵達", "2025-03-12") == [("5日", "2025-04-05", None, "doc_date")]


def test_basis_of_each_date() -> None:
    text = "發布日期：2025-03-12\n昨天開會，3月5日也開過，2024年5月1日，6日再議。"
    assert [(d["text"], d.get("basis")) for d in zhextract.extract(text)["dates"]] == [
        ("2025-03-12", None),
        ("昨天", "stated"),
        ("3月5日", "text"),  # its year from the date before it
        ("2024年5月1日", None),
        ("6日", "text"),
    ]


def test_with_no_reference_the_latest_full_date_stated_is_used() -> None:
    text = "2024年10月3日報導：明天開會。"
    assert periods(text, None) == [
        ("2024年10月3日", "2024-10-03", None, None),
        ("明天", "2024-10-04", None, "text"),
    ]
    assert periods("明天開會。", None) == [("明天", None, None, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("展期至11/3止", [("11/3", "2025-11-03")]),
        ("於4/8起實施", [("4/8起", "2025-04-08")]),
        ("9/6(六)舉行", [("9/6", "2025-09-06")]),
        ("8/1開幕", [("8/1", "2025-08-01")]),
    ],
)
def test_month_and_day_with_a_slash(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates(text) == expected


@pytest.mark.parametrize("text", ["約占3/8", "增加1/4的人力", "全年無休24/7", "第2/3段"])
def test_slash_pairs_that_are_fractions(text: str) -> None:
    assert dates(text) == []


def test_february_29_without_a_year_takes_the_latest_leap_year() -> None:
    assert dates("2月29日生日", "2027-06-01") == [("2月29日", "2024-02-29")]
    assert dates("2月29日生日", "2028-06-01") == [("2月29日", "2028-02-29")]
    assert dates("2027年2月29日", "2027-06-01") == [("2027年2月29日", None)]


@pytest.mark.parametrize("text", ["-5/4", "2 5/4杯", "1又7/2"])
def test_signed_and_mixed_fractions_are_not_dates(text: str) -> None:
    assert dates(text) == []
