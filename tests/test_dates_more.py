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
