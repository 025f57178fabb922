"""The extraction column of `python -m zhextract.eval figures`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from zhextract.eval.figures import _our_dates, _score_extraction, exceptions


def case(text: str, *values: str, code: str | None = None) -> dict[str, Any]:
    results = [
        {"Text": "", "Resolution": {"value": value} | ({"isoCurrency": code} if code else {})}
        for value in values
    ]
    return {"Input": text, "Results": results}


def test_a_case_passes_when_the_figures_carry_exactly_the_gold_values() -> None:
    cases = [case("共三百人出席", "300"), case("一切如常"), case("共三百人", "30")]
    passed, counted, failures = _score_extraction("Number", cases)
    assert (passed, counted) == (2, 3)
    assert "共三百人" in failures[0]


def test_percent_and_currency_compare_as_the_spec_does() -> None:
    percent = [case("成長百分之五", "5%"), case("增加3個百分點", "3%"), case("成長5%", "0.05")]
    assert _score_extraction("Percent", percent)[:2] == (2, 3)
    money = [case("花了5美元", "5", code="USD"), case("花了5美元", "5", code="EUR")]
    assert _score_extraction("Currency", money)[:2] == (1, 2)


def test_set_aside_cases_have_reasons() -> None:
    for model, table in exceptions().items():
        assert model in ("Number", "Percent", "Ordinal", "Currency", "Dimension", "DateTime")
        assert all(reason.strip() for reason in table.values())


def date_case(text: str, *results: tuple[str, int, str, str]) -> dict[str, Any]:
    """A DateTime spec case: results as (type, start, text, value or timex)."""
    gold = []
    for kind, start, span, value in results:
        values = [{"timex": value} if kind == "daterange" else {"value": value}]
        gold.append(
            {
                "Text": span,
                "TypeName": f"datetimeV2.{kind}",
                "Start": start,
                "End": start + len(span) - 1,
                "Resolution": {"values": values},
            }
        )
    return {"Input": text, "Context": {"ReferenceDateTime": "2018-03-22T00:00:00"}, "Results": gold}


def test_a_date_is_compared_with_the_gold_at_its_own_place() -> None:
    # The first 7月25日 lies inside a time range the spec gives (7月25日早): no hit, no extra.
    text = "7月25日早，7月25日開會"
    found = _our_dates(
        date_case(text, ("datetimerange", 0, "7月25日早", ""), ("date", 7, "7月25日", "2018-07-25"))
    )
    assert found == Counter({("7月25日", "2018-07-25", ""): 1})


def test_a_leading_bound_word_may_be_left_out_by_the_gold() -> None:
    kept = _our_dates(date_case("自從2016年", ("daterange", 0, "自從2016年", "2016")))
    left_out = _our_dates(date_case("從2016年起", ("daterange", 1, "2016年起", "2016")))
    assert kept == Counter({("自從2016年", "2016", ""): 1})
    assert left_out == Counter({("2016年起", "2016", ""): 1})


def test_a_date_the_gold_does_not_have_is_an_extra() -> None:
    assert _our_dates(date_case("會議在今日舉行")) == Counter({("今日", "2018-03-22", ""): 1})
