"""The extraction column of `python -m zhextract.eval figures`."""

from __future__ import annotations

from typing import Any

from zhextract.eval.figures import _score_extraction, exceptions


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
        assert model in ("Number", "Percent", "Ordinal", "Currency", "Dimension")
        assert all(reason.strip() for reason in table.values())
