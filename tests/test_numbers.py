"""parse_number: exact values of Arabic, Chinese, financial and mixed numerals."""

from __future__ import annotations

from decimal import Decimal

import pytest

import zhextract
from zhextract.stages.figures.numbers import FRACTION_DIGITS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the contract's own examples
        ("5,000億", 500_000_000_000),
        ("一兆兩千億", 1_200_000_000_000),
        ("負四十五億零四百零四萬", -4_504_040_000),
        ("１２３億", 12_300_000_000),
        ("1.5兆", 1_500_000_000_000),
        ("3萬4000", 34_000),
        ("13萬2", 132_000),
        ("九萬四", 94_000),
        ("萬億", 10**12),
        ("1兆", 10**12),
        # Arabic with separators and decimals, full width
        ("12,345,678", 12_345_678),
        ("3.25", Decimal("3.25")),
        ("０.５", Decimal("0.5")),
        ("２，５００", 2_500),
        # Chinese and financial numerals
        ("十", 10),
        ("十七", 17),
        ("二十", 20),
        ("一百零五", 105),
        ("三千零二十", 3_020),
        ("兩百五", 250),
        ("壹仟貳佰參拾肆", 1_234),
        ("伍萬陸仟柒佰捌拾玖", 56_789),
        ("玖佰", 900),
        ("廿三", 23),
        ("卅", 30),
        ("倆", 2),
        ("〇", 0),
        ("零", 0),
        ("二〇二五", 2_025),
        ("一一四", 114),
        ("五兆六十二億四萬五千二", 5_006_200_045_200),
        ("四萬萬", 400_000_000),
        # mixed, decimals with 點, spoken abbreviations
        ("2.5萬", 25_000),
        ("3千", 3_000),
        ("2千萬", 20_000_000),
        ("３４．６億", 3_460_000_000),
        ("１２３億", 12_300_000_000),
        ("1百萬", 1_000_000),
        ("三點一四", Decimal("3.14")),
        ("三點五億", 350_000_000),
        ("兩千三點一", Decimal("2300.1")),
        ("一萬二", 12_000),
        ("十萬八千", 108_000),
        # simplified forms
        ("两亿三千万", 230_000_000),
        ("负三", -3),
        # negatives, scientific notation, fractions
        ("-42", -42),
        ("−7.5", Decimal("-7.5")),
        ("1.5e3", 1_500),
        ("2E-2", Decimal("0.02")),
        ("3×10^4", 30_000),
        ("百分之五", Decimal("0.05")),
        ("四分之三", Decimal("0.75")),
        ("五百分之2333", Decimal("4.666")),
        ("1/4", Decimal("0.25")),
        ("2又二分之一", Decimal("2.5")),
        ("15k", 15_000),
        ("-2.5 M", -2_500_000),
        ("半百", 50),
        ("半萬", 5_000),
        # digit-by-digit with the Taiwanese print decimal point
        ("一六‧四", Decimal("16.4")),
        ("○‧六七", Decimal("0.67")),
    ],
)
def test_exact_values(text: str, expected: int | Decimal) -> None:
    value = zhextract.parse_number(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


def test_big_units_are_exact_not_floats() -> None:
    value = zhextract.parse_number("1.000000000000000001兆")
    assert value == Decimal("1000000000000.000001")
    assert zhextract.parse_number("九千九百九十九兆") == Decimal(9999 * 10**12)


def test_non_terminating_fraction_is_rounded_to_the_documented_precision() -> None:
    value = zhextract.parse_number("三分之一")
    assert value == Decimal("0." + "3" * FRACTION_DIGITS)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "一直",
        "點",
        "三點",
        "十分之",
        "分之三",
        "1,00",
        "七十百",
        "一二三四五六x",
        "零分之五",
    ],
)
def test_not_numbers_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        zhextract.parse_number(text)


@pytest.mark.parametrize("text", ["1e999999999", "1e-999999999", "1" + "0" * 500, "萬" * 40])
def test_absurd_magnitudes_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        zhextract.parse_number(text)
