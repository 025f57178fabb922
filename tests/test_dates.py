"""Dates and times: explicit, ROC, implied-year, relative and unresolvable ones."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import zhextract
from zhextract.stages.figures.dates import date_regex, find_dates, stated_date

REFERENCE = "2025-03-10"


def dates_of(text: str, doc_date: str | None = REFERENCE) -> list[tuple[str, str | None]]:
    record = zhextract.extract(text, doc_date=doc_date)
    for item in record["dates"]:
        assert record["text"][item["start"] : item["end"]] == item["text"]
    return [(item["text"], item["value"]) for item in record["dates"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("會議於2025年2月7日舉行。", [("2025年2月7日", "2025-02-07")]),
        ("2024年12月31日止", [("2024年12月31日", "2024-12-31")]),
        ("截至2025/2/7為止", [("截至2025/2/7為止", "2025-02-07")]),
        ("日期2025-02-07。", [("2025-02-07", "2025-02-07")]),
        ("於2010.01.29公布", [("2010.01.29", "2010-01-29")]),
        ("二〇二五年是關鍵", [("二〇二五年", "2025")]),
        ("二〇二四年十二月五日", [("二〇二四年十二月五日", "2024-12-05")]),
        ("2001年7月訪美", [("2001年7月", "2001-07")]),
        ("1999年的事", [("1999年", "1999")]),
        ("2025年底前完成", [("2025年底前", "2025-12")]),
    ],
)
def test_explicit_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("民國114年3月5日公告", [("民國114年3月5日", "2025-03-05")]),
        ("民國九十八年", [("民國九十八年", "2009")]),
        ("114年度預算", [("114年度", "2025")]),
        ("113年12月1日起實施", [("113年12月1日起", "2024-12-01")]),
        ("公告日期114/3/5", [("114/3/5", "2025-03-05")]),
    ],
)
def test_roc_years(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates_of(text) == expected


def test_year_in_parentheses_and_implied_years() -> None:
    text = "今(2025)年2月7日兩國會談；2月10日中方抗議，3月再談。"
    assert dates_of(text, doc_date=None) == [
        ("今(2025)年2月7日", "2025-02-07"),
        ("2月10日", "2025-02-10"),
        ("3月", "2025-03"),
    ]
    assert dates_of("今（2024）年5月", doc_date=None) == [("今（2024）年5月", "2024-05")]


def test_next_and_last_year_in_parentheses_are_read_and_set_the_current_year() -> None:
    text = "明(2026)年度預算比去(2024)年多，今年再議。"
    assert dates_of(text, doc_date=None) == [
        ("明(2026)年度", "2026"),
        ("去(2024)年", "2024"),
        ("今年", "2025"),
    ]


def test_month_day_takes_the_year_of_doc_date_when_nothing_precedes() -> None:
    assert dates_of("5月1日上路") == [("5月1日", "2025-05-01")]
    assert dates_of("8日出發") == [("8日", "2025-03-08")]
    # A day after the reference day is last month's (news convention), unless 將 points on.
    assert dates_of("於二十八日決定") == [("二十八日", "2025-02-28")]
    assert dates_of("將於二十八日決定") == [("二十八日", "2025-03-28")]


def test_a_bare_day_takes_the_month_last_mentioned() -> None:
    assert dates_of("1月5日開幕，並於20日閉幕") == [
        ("1月5日", "2025-01-05"),
        ("20日", "2025-01-20"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年經濟", [("今年", "2025")]),
        ("去年底的數據", [("去年底", "2024-12")]),
        ("前年的事", [("前年", "2023")]),
        ("明年上路", [("明年", "2026")]),
        ("今年初", [("今年初", "2025-01")]),
        ("上月出口", [("上月", "2025-02")]),
        ("下個月", [("下個月", "2025-04")]),
        ("本月十日", [("本月十日", "2025-03-10")]),
        ("今（5）日宣布", [("今（5）日", "2025-03-05")]),
        ("昨(9)日表示", [("昨(9)日", "2025-03-09")]),
        ("昨天表示", [("昨天", "2025-03-09")]),
        ("明天出發", [("明天", "2025-03-11")]),
    ],
)
def test_relative_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates_of(text) == expected


def test_relative_dates_across_a_year_boundary() -> None:
    assert dates_of("上月", doc_date="2025-01-15") == [("上月", "2024-12")]
    assert dates_of("昨天", doc_date="2025-01-01") == [("昨天", "2024-12-31")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2月7日上午10時30分", [("2月7日上午10時30分", "2025-02-07T10:30")]),
        ("2025年2月7日下午3時", [("2025年2月7日下午3時", "2025-02-07T15:00")]),
        ("3月1日晚上8點半", [("3月1日晚上8點半", "2025-03-01T20:30")]),
        ("今晚6點", [("今晚6點", "2025-03-10T18:00")]),
        ("2025/2/7 下午2:15", [("2025/2/7下午2:15", "2025-02-07T14:15")]),
    ],
)
def test_times_join_their_date(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates_of(text) == expected


def test_unresolvable_dates_have_no_value_and_a_reason() -> None:
    record = zhextract.extract("去年與今（5）日，以及上午10時30分")
    reasons = [(item["text"], item["value"], item["reason"]) for item in record["dates"]]
    assert reasons == [
        ("去年", None, "relative date with no reference date (no doc_date)"),
        ("今（5）日", None, "relative date with no reference date (no doc_date)"),
        ("上午10時30分", None, "time of day without a date"),
    ]
    record = zhextract.extract("2月30日", doc_date=REFERENCE)
    assert record["dates"][0]["value"] is None
    assert "no day 30" in record["dates"][0]["reason"]
    record = zhextract.extract("5月1日")
    assert record["dates"][0]["reason"] == "year not stated and no earlier date or doc_date"


def test_a_date_the_document_states_is_the_reference() -> None:
    text = "新聞稿\n發布日期：2025年4月2日\n本部昨（1）日表示，今年將擴大補助。"
    assert stated_date(text) == dt.date(2025, 4, 2)
    assert dates_of(text, doc_date=None) == [
        ("2025年4月2日", "2025-04-02"),
        ("昨（1）日", "2025-04-01"),
        ("今年", "2025"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990年代經濟起飛", [("1990年代", "199X")]),
        ("八十年代的台北", [("八十年代", "198X")]),
        ("90年代", [("90年代", "199X")]),
        ("20年代", [("20年代", "202X")]),  # the latest such decade up to 2025
        ("上世紀20年代", [("上世紀20年代", "192X")]),
        ("20世紀末", [("20世紀", "19XX")]),
        ("二十一世紀", [("二十一世紀", "20XX")]),
        ("上世紀的冷戰", [("上世紀", "19XX")]),
    ],
)
def test_decades_and_centuries_leave_open_digits_as_x(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert dates_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08年奧運在北京舉辦", [("08年", "2008")]),
        ("零八年奧運", [("零八年", "2008")]),
        ("07年5月畢業", [("07年5月", "2007-05")]),
    ],
)
def test_two_digit_years_with_a_leading_zero_are_this_century(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert dates_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018年以前", ("2018年以前", "2018", "before")),
        ("他07年以後就沒來過", ("07年以後", "2007", "after")),
        ("自2018年以來", ("自2018年以來", "2018", "since")),
        ("今年以來", ("今年以來", "2025", "since")),
        ("3月起實施", ("3月起", "2025-03", "since")),
    ],
)
def test_a_bounding_word_after_a_date_is_its_mod(text: str, expected: tuple[str, str, str]) -> None:
    record = zhextract.extract(text, doc_date=REFERENCE)
    assert [(d["text"], d["value"], d.get("mod")) for d in record["dates"]] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年3月12日（三）上午10時開會", [("2025年3月12日（三）上午10時", "2025-03-12T10:00")]),
        ("3月12日(星期三)記者會", [("3月12日(星期三)", "2025-03-12")]),
        ("10月12日，星期日", [("10月12日，星期日", "2025-10-12")]),
    ],
)
def test_a_weekday_after_a_date_joins_it(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates_of(text) == expected


def test_a_word_starting_with_qi_is_not_a_mod() -> None:
    assert dates_of("2025年起訴三人") == [("2025年", "2025")]


@pytest.mark.parametrize(
    "text",
    ["近年來情勢", "一時之間", "3點建議", "他說了3次", "持續25年", "3日內完成", "最近", "一日遊"],
)
def test_not_dates(text: str) -> None:
    assert dates_of(text) == []


def test_blocked_characters_are_skipped() -> None:
    text = "今日美國報導2025年2月7日"
    blocked = [index < 4 for index in range(len(text))]
    assert [item["text"] for item in find_dates(text, blocked)] == ["2025年2月7日"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("週三開會", [("週三", "2025-03-12")]),
        ("上週五", [("上週五", "2025-03-07")]),
        ("下下星期日", [("下下星期日", "2025-03-30")]),
        ("5年前", [("5年前", "2020")]),
        ("3個月後", [("3個月後", "2025-06")]),
        ("兩週前", [("兩週前", "2025-02-24")]),
        ("3天後", [("3天後", "2025-03-13")]),
    ],
)
def test_weekdays_and_offsets_from_the_reference(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert dates_of(text) == expected


def test_published_meta_date_is_the_reference_when_doc_date_is_missing() -> None:
    from zhextract.doc import Doc
    from zhextract.registry import build_stage

    doc = Doc.from_text("")
    doc.text = "本部今（3）日表示"
    doc.meta["published"] = "2024年7月8日"
    build_stage("figures", {})(doc)
    assert [(d["text"], d["value"]) for d in doc.dates] == [("今（3）日", "2024-07-03")]


def test_a_stated_current_year_resolves_relative_years_without_a_doc_date() -> None:
    text = "今(2024)年5月20日就職。去年11月選舉，今年11月大選，明年再議，上月也開會。"
    assert dates_of(text, doc_date=None) == [
        ("今(2024)年5月20日", "2024-05-20"),
        ("去年11月", "2023-11"),
        ("今年11月", "2024-11"),
        ("明年", "2025"),
        ("上月", "2024-04"),  # from the latest full date stated before it (basis "text")
    ]


def test_the_first_character_prefilter_never_changes_a_match() -> None:
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    tests = Path(__file__).parent
    for name in ("test_dates.py", "test_dates_more.py", "test_dates_calendar.py"):
        texts.append((tests / name).read_text(encoding="utf-8"))  # every example there
    for text in texts:
        fast = [(m.span(), m.groupdict()) for m in date_regex().finditer(text) if _dated(m)]
        plain = date_regex(prefilter=False).finditer(text)
        assert fast == [(m.span(), m.groupdict()) for m in plain if _dated(m)]


def _dated(match: re.Match[str]) -> bool:
    """A match with more than a bound word (起) or a weekday, which alone are no dates."""
    rest = {name: value for name, value in match.groupdict().items() if value}
    return bool(set(rest) - {"mod", "weekday"})
