"""Dates of other calendars and bounds: lunar dates and festivals (through the lunar table),
reign-era years, words that bound a date (自, 截至, 及以前, 2030年前), ordinal months
anchored to a year, a bare day in a month without it, and names that start like a date."""

from __future__ import annotations

import datetime as dt

import pytest

import zhextract
from zhextract.stages.figures.dates import _lunar_date, find_dates, lunar_years


def dates(text: str, doc_date: str | None = "2026-06-01") -> list[tuple[object, ...]]:
    record = zhextract.extract(text, doc_date)
    for item in record["dates"]:
        assert record["text"][item["start"] : item["end"]] == item["text"]
    return [(item["text"], item["value"], item.get("mod")) for item in record["dates"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("農曆2015年十月初一舉行祭典", ("農曆2015年十月初一", "2015-11-12")),  # lunar year stated
        ("今年大年初二回娘家的人潮", ("今年大年初二", "2026-02-18")),
        ("廟方定於農曆八月十五辦晚會", ("農曆八月十五", "2026-09-25")),
        ("臘月二十三送神", ("臘月二十三", "2026-02-10")),
        ("2023年閏二月十五", ("2023年閏二月十五", "2023-04-05")),  # a leap month
        ("正月初一開廟門", ("正月初一", "2026-02-17")),
        ("農曆8月15日", ("農曆8月15日", "2026-09-25")),
    ],
)
def test_lunar_dates_are_gregorian_dates(text: str, expected: tuple[str, str]) -> None:
    assert dates(text) == [(*expected, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年端午節連假", ("今年端午節", "2026-06-19")),
        ("2025年端午節", ("2025年端午節", "2025-05-31")),
        ("除夕當天高速公路湧現車潮", ("除夕", "2026-02-16")),  # of lunar year 2025
        ("2025年除夕", ("2025年除夕", "2025-01-28")),  # the one falling in 2025
        ("民國114年中秋節", ("民國114年中秋節", "2025-10-06")),
        ("元旦升旗典禮", ("元旦", "2026-01-01")),
        ("雙十節國慶大會", ("雙十節", "2026-10-10")),
    ],
)
def test_festivals_are_the_ones_of_the_year_in_question(
    text: str, expected: tuple[str, str]
) -> None:
    assert dates(text) == [(*expected, None)]


def test_a_lunar_month_alone_is_its_year_with_the_range_of_its_days() -> None:
    record = zhextract.extract("農曆七月鬼月將至", "2026-06-01")
    assert [(d["text"], d["value"], d["range"]) for d in record["dates"]] == [
        ("農曆七月", "2026", ["2026-08-13", "2026-09-10"])
    ]


@pytest.mark.parametrize(
    "text",
    [
        "國中初一學生參加比賽",  # 初一: first grade of junior high
        "王正月表示不滿",  # 正月 in a name, with no day
        "中秋月餅禮盒熱賣",  # 中秋 alone is a word, not the day
        "吃元宵應景",
        "農曆年前後的車潮",  # the lunar year is no Gregorian period
    ],
)
def test_words_that_only_look_lunar_are_no_dates(text: str) -> None:
    assert dates(text) == []


def test_lunar_dates_outside_the_table_or_calendar_have_a_reason() -> None:
    record = zhextract.extract("農曆閏六月初一", "2026-06-01")  # 2026 has no leap month
    assert [(d["value"], d["reason"]) for d in record["dates"]] == [
        (None, "no lunar date 6-1 for 2026 in the table")
    ]
    assert _lunar_date(2026, 1, 30, False) == (dt.date(2026, 3, 18), 30)
    assert _lunar_date(2026, 2, 30, False) is None  # the second month of 2026 has 29 days
    assert _lunar_date(1899, 1, 1, False) is None
    assert _lunar_date(2098, 12, None, False) is not None


def test_the_lunar_table_is_continuous() -> None:
    years = lunar_years()
    for year in range(min(years), max(years)):
        start, _, lengths = years[year]
        assert start + dt.timedelta(days=sum(lengths)) == years[year + 1][0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("清光緒十三年台灣建省", ("光緒十三年", "1887")),
        ("昭和12年興建的車站", ("昭和12年", "1937")),
        ("令和7年5月1日生效", ("令和7年5月1日", "2025-05-01")),  # Gregorian months
        ("康熙三年五月", ("康熙三年五月", "1664")),  # a lunar month: the year only
        ("明治3年5月", ("明治3年5月", "1870")),  # before Japan took the Gregorian calendar
        ("雍正元年", ("雍正元年", "1723")),
    ],
)
def test_reign_era_years(text: str, expected: tuple[str, str]) -> None:
    assert dates(text) == [(*expected, None)]


def test_a_reign_era_year_past_its_end_has_a_reason() -> None:
    record = zhextract.extract("康熙八十年", "2026-06-01")
    assert [(d["value"], d["reason"]) for d in record["dates"]] == [(None, "康熙 has no year 80")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("自2019年以來累計虧損", ("自2019年以來", "2019", "since")),
        ("從2020年起實施", ("從2020年起", "2020", "since")),
        ("自從2017年", ("自從2017年", "2017", "since")),
        ("截至2025年底", ("截至2025年底", "2025-12", "until")),
        ("截止到2024年", ("截止到2024年", "2024", "until")),
        ("2012年及以前的車款", ("2012年及以前", "2012", "until")),
        ("政府盼2030年前達成目標", ("2030年前", "2030", "before")),
        ("2025年底前完工", ("2025年底前", "2025-12", "before")),
    ],
)
def test_words_that_bound_a_date(text: str, expected: tuple[str, str, str]) -> None:
    assert dates(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年前三季營收", ("2025年", "2025", None)),  # 前三季: the first three quarters
        ("2020年前往美國", ("2020年", "2020", None)),  # 前往: went to
        ("2015年前後", ("2015年", "2015", None)),
        ("來自2018年的資料", ("2018年", "2018", None)),  # 來自: comes from
    ],
)
def test_words_that_do_not_bound_a_date(text: str, expected: tuple[str, str, None]) -> None:
    assert dates(text) == [expected]


def test_ordinal_months_need_a_year() -> None:
    assert dates("新制將在2027年的第三個月上路") == [("2027年的第三個月", "2027-03", None)]
    assert dates("明年第九個月進行審查") == [("明年第九個月", "2027-09", None)]
    assert dates("新市長上任第三個月") == []  # the third month in office
    assert dates("懷孕第三個月") == []


def test_a_bare_day_skips_months_without_that_day() -> None:
    assert dates("29日晚間發生車禍", "2025-03-22") == [("29日", "2025-01-29", None)]
    assert dates("31日公布結果", "2025-05-05") == [("31日", "2025-03-31", None)]
    assert dates("將於31日公布", "2025-04-05") == [("31日", "2025-05-31", None)]


def test_names_that_start_like_a_date_word() -> None:
    assert dates("今日頭條報導了今日的會議", "2025-03-22") == [("今日", "2025-03-22", None)]
    assert dates("據今日新聞網報導", "2025-03-22") == []


@pytest.mark.parametrize("text", ["除夕", "正月初一", "農曆八月十五", "中秋節", "元旦"])
@pytest.mark.parametrize(
    "doc_date",
    [dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(2099, 12, 31), dt.date(9999, 12, 31)],
)
def test_calendar_edges_do_not_crash(text: str, doc_date: dt.date) -> None:
    found = find_dates(text, None, doc_date)
    assert len(found) == 1
    assert found[0]["value"] is None or found[0]["value"][:4].isdigit()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/25聖誕節當天", [("12/25", "2025-12-25", None), ("聖誕節", "2025-12-25", None)]),
        ("12/24晚上的跨年派對", [("12/24", "2025-12-24", None)]),
    ],
)
def test_a_festival_or_time_of_day_makes_a_slash_pair_a_date(
    text: str, expected: list[tuple[str, str, None]]
) -> None:
    assert dates(text, "2025-12-01") == expected


@pytest.mark.parametrize("text", ["比數12/25", "三分球投12/25"])
def test_a_bare_slash_pair_with_the_smaller_month_stays_a_fraction(text: str) -> None:
    assert dates(text, "2025-12-01") == []
    assert [item["value"] for item in zhextract.extract(text, "2025-12-01")["figures"]] == [0.48]


@pytest.mark.parametrize(
    ("text", "doc_date", "expected"),
    [
        (
            "農曆2100年正月初一",
            dt.date(2025, 1, 1),
            (None, "no lunar date 1-1 for 2100 in the table"),
        ),
        ("令和99年12月31日", dt.date(2025, 1, 1), ("2117-12-31", None)),
        ("29日", dt.date(1, 1, 1), (None, "year 0 out of range")),
        ("將於31日出發", dt.date(9999, 12, 1), ("9999-12-31", None)),
    ],
)
def test_edges_of_the_tables_and_the_calendar(
    text: str, doc_date: dt.date, expected: tuple[str | None, str | None]
) -> None:
    found = find_dates(text, None, doc_date)
    assert [(item["value"], item.get("reason")) for item in found] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("合約於13/2/2020簽署", ("13/2/2020", "2020-02-13")),  # d/m/y: 13 is no month
        ("合約於2/13/2020簽署", ("2/13/2020", "2020-02-13")),  # m/d/y
        ("會議於5/5/2021召開", ("5/5/2021", "2021-05-05")),  # either order
        ("會議於3/4/2021召開", ("3/4/2021", None)),  # cannot be told
    ],
)
def test_day_month_year_dates(text: str, expected: tuple[str, str | None]) -> None:
    assert [(text_, value) for text_, value, _ in dates(text)] == [expected]


@pytest.mark.parametrize("text", ["版本1.2.2020", "比分40/50/2020", "得分12-11-10"])
def test_numbers_that_are_no_day_month_year_dates(text: str) -> None:
    assert dates(text) == []


def test_a_bound_word_joins_a_relative_date() -> None:
    assert dates("農政單位截至昨晚為止仍無法統計", "2025-03-10") == [
        ("截至昨晚為止", "2025-03-09", "until")
    ]
    assert dates("從上週三開始", "2025-03-12") == [("從上週三開始", "2025-03-05", "since")]
    assert dates("他自己說的", "2025-03-12") == []


@pytest.mark.parametrize(
    ("text", "doc_date", "expected"),
    [
        ("颱風預計12小時後登陸", "2025-08-01T09:00", ("12小時後", "2025-08-01T21:00")),
        ("兩個小時後抵達", "2025-08-01T23:30", ("兩個小時後", "2025-08-02T01:30")),  # next day
        ("他10分鐘之前剛離開", "2025-08-01T09:05:30", ("10分鐘之前", "2025-08-01T08:55:30")),
    ],
)
def test_offsets_in_hours_and_minutes_need_the_time_of_day(
    text: str, doc_date: str, expected: tuple[str, str]
) -> None:
    record = zhextract.extract(text, doc_date)
    assert [(d["text"], d["value"], d["basis"]) for d in record["dates"]] == [
        (*expected, "doc_date")
    ]
    assert record["doc_date"] == doc_date[:10]  # the record keeps the date


@pytest.mark.parametrize(
    ("text", "doc_date"),
    [
        ("颱風預計12小時後登陸", "2025-08-01"),  # no time of day: a duration figure
        ("開了3小時的會議", "2025-08-01T09:00"),  # no direction: a duration
        ("2小時內完成", "2025-08-01T09:00"),
    ],
)
def test_hours_without_a_time_of_day_or_a_direction_stay_durations(
    text: str, doc_date: str
) -> None:
    record = zhextract.extract(text, doc_date)
    assert record["dates"] == []
    assert [(f["label"], f.get("kind")) for f in record["figures"]] == [("DATE", "duration")]


def test_an_hour_offset_past_the_calendar_has_a_reason() -> None:
    found = find_dates("2小時後", None, dt.date(9999, 12, 31), "doc_date", dt.time(23, 0))
    assert [(item["value"], item["reason"]) for item in found] == [(None, "date out of range")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-08-01T09:05:30", dt.time(9, 5, 30)),
        ("2025-08-01 09:05", dt.time(9, 5)),
        ("2025-08-01", None),
        (dt.datetime(2025, 8, 1, 9, 5), dt.time(9, 5)),
        (dt.date(2025, 8, 1), None),
        ("not a date at all", None),
        (None, None),
    ],
)
def test_parse_doc_time(value: object, expected: dt.time | None) -> None:
    from zhextract.doc import parse_doc_time

    assert parse_doc_time(value) == expected  # type: ignore[arg-type]
