"""The figures stage on hostile input: long numeral runs, dotted numbers, extreme dates.

The results are asserted, not the time taken; the growth with input length is measured
outside the tests (see the figures stage's report in the project notes).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import zhextract
from zhextract.stages.figures.dates import find_dates
from zhextract.stages.figures.extract import find_figures

D = Decimal


def values(text: str) -> list[tuple[str, object]]:
    return [(item["text"], item["value"]) for item in find_figures(text)]


@pytest.mark.parametrize("run", ["1" * 2000, "一" * 2000, "十" * 2000, "萬" * 2000, "12." * 700])
def test_a_long_numeral_run_is_no_figure(run: str) -> None:
    assert values(run) == []
    assert values(f"共{run}人") == []


def test_a_long_run_does_not_hide_the_figures_around_it() -> None:
    text = "花了30元，" + "1" * 2000 + "，又花了四十元"
    assert values(text) == [("30元", D(30)), ("四十元", D(40))]


def test_a_numeral_of_sixty_digits_is_still_a_number() -> None:
    assert values("1" * 24) == [("1" * 24, D("1" * 24))]
    assert zhextract.parse_number("9" * 60) == D("9" * 60)


def test_many_decimal_digits() -> None:
    assert values("圓周率3.1415926535897932384626") == [
        ("3.1415926535897932384626", D("3.1415926535897932384626"))
    ]


def test_digit_groups_and_points_still_read() -> None:
    assert values("共1,234,567.89元") == [("1,234,567.89元", D("1234567.89"))]


@pytest.mark.parametrize(
    "run", ["1" * 2000, "一" * 2000, "萬" * 2000, "一十" * 1000, "十" * 2000, "1" + "萬" * 20]
)
def test_parse_number_rejects_long_runs(run: str) -> None:
    with pytest.raises(ValueError):
        zhextract.parse_number(run)


@pytest.mark.parametrize(
    "text", ["版本1.5.3已釋出", "IP為192.168.1.1", "依第1.2.3條規定", "韌體v2.10.4", "12.12.12.12."]
)
def test_dotted_numbers_are_not_figures(text: str) -> None:
    assert values(text) == []


def test_a_single_point_is_still_a_decimal() -> None:
    assert values("成長1.5%，版本1.5.3") == [("1.5%", D("0.015"))]


@pytest.mark.parametrize("text", ["2024.05.20", "1.5.3", "三點一點四", "1.2.3.4"])
def test_parse_number_rejects_two_points(text: str) -> None:
    with pytest.raises(ValueError):
        zhextract.parse_number(text)


def test_dotted_date_is_a_date() -> None:
    record = zhextract.extract("本案於2024.05.20公告，版本1.5.3。")
    assert [(item["text"], item["value"]) for item in record["dates"]] == [
        ("2024.05.20", "2024-05-20")
    ]
    assert record["figures"] == []


def test_long_date_like_runs_give_no_dates() -> None:
    assert find_dates("年" * 2000) == []
    assert find_dates("1日" * 1000)[0]["value"] is None


def dates(text: str, doc_date: str | None = None) -> list[tuple[str, str | None]]:
    return [(item["text"], item["value"]) for item in zhextract.extract(text, doc_date)["dates"]]


def reasons(text: str, doc_date: str | None = None) -> list[str | None]:
    return [item.get("reason") for item in zhextract.extract(text, doc_date)["dates"]]


def test_a_stated_date_at_the_end_of_the_calendar() -> None:
    assert dates("發布日期：9999-12-31\n明天開會，昨天休會。") == [
        ("9999-12-31", "9999-12-31"),
        ("明天", None),
        ("昨天", "9999-12-30"),
    ]


@pytest.mark.parametrize(
    ("doc_date", "expected"),
    [
        (
            "0001-01-01",
            [("明天", "0001-01-02"), ("上週三", None), ("下個月", "0001-02"), ("去年", None)],
        ),
        (
            "9999-12-31",
            [("明天", None), ("上週三", "9999-12-22"), ("下個月", None), ("去年", "9998")],
        ),
    ],
)
def test_relative_dates_at_the_calendar_edges(
    doc_date: str, expected: list[tuple[str, str | None]]
) -> None:
    assert dates("明天開會，上週三，下個月再議，去年也是。", doc_date) == expected


def test_centuries_outside_the_common_era_are_unresolved() -> None:
    assert dates("0世紀的事") == [("0世紀", None)]
    assert dates("上世紀的事", "0050-06-01") == [("上世紀", None)]
    assert dates("90年代的事", "0050-06-01") == [("90年代", None)]
    assert dates("1世紀的事") == [("1世紀", "00XX")]
    assert dates("21世紀的事") == [("21世紀", "20XX")]


def test_four_digit_years_before_a_month() -> None:
    assert dates("期限訂為9999年12月31日。") == [("9999年12月31日", "9999-12-31")]
    assert dates("西元0800年5月") == [("0800年5月", "0800-05")]
    assert dates("9999年是什麼") == []


def test_years_before_the_common_era_are_not_common_era_years() -> None:
    assert dates("公元前1911年的事") == [("公元前1911年", None)]
    assert reasons("西元前五百年") == ["a year before the common era"]
    assert dates("公元1911年的事") == [("1911年", "1911")]


def test_impossible_times_of_day() -> None:
    assert dates("上午25時開會") == [("上午25時", None)]
    assert dates("今天上午25時開會", "2025-03-10") == [("今天上午25時", None)]
    assert dates("今天上午10時開會", "2025-03-10") == [("今天上午10時", "2025-03-10T10:00")]
    assert dates("下午3:75開會") == []
    assert dates("下午3:45開會") == [("下午3:45", None)]


@pytest.mark.parametrize("bad", ["2025-02-07T99:99", "2025-02-30", "2025-13-01T10:00", "昨天"])
def test_an_invalid_doc_date_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        zhextract.extract("明天開會。", doc_date=bad)


def test_a_doc_date_with_a_valid_time_is_its_day() -> None:
    assert dates("明天開會。", "2025-02-07T10:30") == [("明天", "2025-02-08")]


def test_the_whole_pipeline_on_long_runs() -> None:
    assert zhextract.extract("1" * 1000)["figures"] == []
    assert zhextract.extract("12." * 12)["figures"] == []
    [pi] = zhextract.extract("圓周率3.1415926535897932384626")["figures"]
    assert pi["text"] == "3.1415926535897932384626"


def test_the_first_character_filter_never_changes_a_figure_match() -> None:
    import re
    from pathlib import Path

    from zhextract.stages.figures.patterns import _first_chars, figure_regex, tables

    filtered = figure_regex()
    lookahead = "(?=[" + re.escape(_first_chars(tables())) + "])"
    assert lookahead in filtered.pattern
    unfiltered = re.compile(filtered.pattern.replace(lookahead, "", 1), re.VERBOSE)
    root = Path(__file__).resolve().parents[1]
    texts = [path.read_text(encoding="utf-8") for path in sorted(root.glob("corpus/*.txt"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted(root.glob("tests/test_fig*.py"))]
    for text in texts:
        spans = [(m.span(), m.groupdict()) for m in filtered.finditer(text)]
        assert spans == [(m.span(), m.groupdict()) for m in unfiltered.finditer(text)]


@pytest.mark.parametrize(
    "text", ["濃度為千千分之三。", "約百百分之五的人", "百千分之二", "佰佰分之二", "時千千分之萬第"]
)
def test_a_fraction_prefix_that_is_no_number_gives_no_figure(text: str) -> None:
    assert values(text) == []  # and no exception: a part that does not parse reads as none


def test_fraction_prefixes_that_are_numbers_keep_their_values() -> None:
    assert values("濃度為百萬分之三，千分之五的機率") == [
        ("百萬分之三", D("0.000003")),
        ("千分之五", D("0.005")),
    ]
