"""Exact values of Chinese, Arabic and mixed numerals: `parse_number("5,000億")`.

Handles Arabic numerals with thousands separators and decimals (full-width too), Chinese
and financial numerals (壹貳參…拾佰仟), 廿/卅, 兩/倆, 零/〇, the big units 萬 億 兆 (and 萬億,
億億 compounds), mixed forms such as "3萬4000", the spoken abbreviation "九萬四" (= 94000),
decimals with 點, fractions "三分之一", negatives (負, -) and scientific notation.

Every value is an exact `Decimal` (1兆 is exactly 10**12). A non-terminating fraction such
as 1/3 is the one exception: it is rounded to `FRACTION_DIGITS` significant digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import cache
from importlib import resources

FRACTION_DIGITS = 28
MAX_EXPONENT = 60  # beyond 10**60 a "number" in a document is noise (and not JSON-safe)
NEGATIVE_SIGNS = ("負", "负", "-", "−", "－", "﹣", "–")
POSITIVE_SIGNS = ("正", "+", "＋")
POINTS = ("點", "点", ".", "‧", "·")
FRACTION_MARK = "分之"
HALF = "半"
LATIN_MAGNITUDES = {"k": 1000, "K": 1000, "M": 1_000_000}  # lower-case m is metres
MIXED_FRACTION_MARK = "又"
# 十多萬, 一百零幾萬: an approximation inside a numeral; the value is the numeral without
# it (10萬, 100萬), the round number the approximation is said against.
INFIX_APPROX = re.compile(r"(?<=[十百千拾佰仟0-9零〇])[多余餘幾几](?=[萬万億亿兆千百])")
SLASH_FRACTION = re.compile(r"(?:(?P<whole>[0-9]+)\s)?(?P<num>[0-9]+)/(?P<den>[0-9]+)")
POWER = re.compile(r"(?P<base>[0-9]+(?:\.[0-9]+)?)\^(?P<exp>[+-]?[0-9]+)")
ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")
GROUPED_ARABIC = re.compile(r"[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?")
SCIENTIFIC = re.compile(
    r"(?P<mantissa>[0-9]+(?:\.[0-9]+)?)"
    r"(?:[eE](?P<exp>[+-]?[0-9]+)|\s*[x×*]\s*10\^(?P<power>[+-]?[0-9]+))"
)


@dataclass(frozen=True)
class Numeral:
    """One numeral character: its value and how it combines (see data/numerals.tsv)."""

    value: int
    kind: str  # "digit", "tens", "small" or "big"


@cache
def numeral_table() -> dict[str, Numeral]:
    """Chinese numeral characters from data/numerals.tsv."""
    text = resources.files(__package__).joinpath("data").joinpath("numerals.tsv").read_text("utf-8")
    table: dict[str, Numeral] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        char, value, kind = line.split("\t")
        table[char] = Numeral(int(value), kind)
    return table


@cache  # called for every numeral a document holds
def numeral_chars(*kinds: str) -> str:
    """All numeral characters of the given kinds (all kinds when none is given)."""
    return "".join(
        char for char, item in numeral_table().items() if not kinds or item.kind in kinds
    )


def parse_number(text: str) -> Decimal:
    """The exact value of a numeral; ValueError when `text` is not one."""
    folded = _fold(text)
    if not folded:
        raise ValueError(f"not a number: {text!r}")
    sign, body = _split_sign(folded)
    if not body or sum(body.count(point) for point in POINTS) > 1:
        raise ValueError(f"not a number: {text!r}")  # 1.5.3 and 2024.05.20 are not numbers
    try:
        value = _parse_unsigned(body)
    except ArithmeticError as error:  # decimal overflow and invalid operations
        raise ValueError(f"not a usable number: {text!r}") from error
    if value != 0 and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise ValueError(f"number out of range: {text!r}")
    return -value if sign < 0 else value


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip()
    slash = SLASH_FRACTION.fullmatch(folded.lstrip("-"))
    if slash and slash.group("whole"):
        # "1 3/5": the space separates the whole part, so keep it as 又.
        folded = folded.replace(" ", MIXED_FRACTION_MARK, 1)
    folded = "".join(folded.split())
    folded = INFIX_APPROX.sub("", folded)
    return _ungroup(folded)


def _ungroup(text: str) -> str:
    """Drop thousands separators, but only where they group digits properly."""
    if "," not in text and "，" not in text:
        return text
    return GROUPED_ARABIC.sub(lambda match: re.sub("[,，]", "", match.group()), text)


def _split_sign(text: str) -> tuple[int, str]:
    for mark in NEGATIVE_SIGNS:
        if text.startswith(mark):
            return -1, text[len(mark) :]
    for mark in POSITIVE_SIGNS:
        if text.startswith(mark):
            return 1, text[len(mark) :]
    return 1, text


def _parse_unsigned(text: str) -> Decimal:
    if MIXED_FRACTION_MARK in text:
        whole, _, fraction = text.partition(MIXED_FRACTION_MARK)
        return _parse_unsigned(whole) + _parse_unsigned(fraction)
    if FRACTION_MARK in text:
        return _parse_fraction(text)
    slash = SLASH_FRACTION.fullmatch(text)
    if slash and not slash.group("whole"):
        return _divide(Decimal(slash.group("num")), Decimal(slash.group("den")))
    power = POWER.fullmatch(text)
    if power:
        return _parse_power(power)
    if text[-1] in LATIN_MAGNITUDES and ARABIC.fullmatch(text[:-1]):
        return _integral(Decimal(text[:-1]) * LATIN_MAGNITUDES[text[-1]])  # 15k, 2.5M
    if text[0] == HALF and len(text) == 2 and text[1] in numeral_chars("small", "big"):
        return _integral(Decimal(numeral_table()[text[1]].value) / 2)  # 半百 is 50
    scientific = SCIENTIFIC.fullmatch(text)
    if scientific:
        return _parse_scientific(scientific)
    if ARABIC.fullmatch(text):
        return _integral(_in_range(Decimal(text)))
    if _is_digit_string(text):
        return _in_range(Decimal(_digits(text)))
    whole, point, fraction = _split_point(text)
    if point and len(whole) > 1 and _is_digit_string(whole) and _is_digit_string(fraction):
        return Decimal(f"{_digits(whole)}.{_digits(fraction)}")  # 一六‧四 is 16.4
    return _integral(_Evaluator(text).run())


def _parse_fraction(text: str) -> Decimal:
    denominator_text, _, numerator_text = text.partition(FRACTION_MARK)
    if not denominator_text or not numerator_text:
        raise ValueError(f"not a fraction: {text!r}")
    return _divide(parse_number(numerator_text), parse_number(denominator_text))


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    if denominator == 0:
        raise ValueError("fraction with a zero denominator")
    with localcontext() as context:
        context.prec = FRACTION_DIGITS
        return _integral(numerator / denominator)


def _parse_power(match: re.Match[str]) -> Decimal:
    exponent = int(match.group("exp"))
    if abs(exponent) > 100:
        raise ValueError("exponent too large")
    with localcontext() as context:
        context.prec = 80
        return _integral(Decimal(match.group("base")) ** exponent)


def _parse_scientific(match: re.Match[str]) -> Decimal:
    exponent = match.group("exp") or match.group("power")
    if abs(int(exponent)) > MAX_EXPONENT:
        raise ValueError("exponent out of range")
    return _integral(Decimal(match.group("mantissa")).scaleb(int(exponent)))


def _is_digit_string(text: str) -> bool:
    """A run of bare Chinese digits read digit by digit, as in 二〇二五."""
    table = numeral_table()
    return bool(text) and all(
        (char in table and table[char].kind == "digit") or (char.isascii() and char.isdigit())
        for char in text
    )


def _digits(text: str) -> str:
    table = numeral_table()
    return "".join(char if char.isdigit() else str(table[char].value) for char in text)


def _split_point(text: str) -> tuple[str, str, str]:
    for point in POINTS:
        if point in text:
            return text.partition(point)
    return text, "", ""


def _in_range(value: Decimal) -> Decimal:
    """`value`, checked before any further work on it (a 2,000-digit run stops here)."""
    if value != 0 and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise ValueError(f"number out of range: {value.adjusted()} digits")
    return value


def _integral(value: Decimal) -> Decimal:
    """Integers without exponent or trailing zeros after the point: Decimal(1500000000000)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize() if value.as_tuple().exponent != 0 else value


class _Evaluator:
    """Left-to-right evaluation of a numeral built from digits, units and big units."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.total = Decimal(0)  # the part already scaled by a big unit
        self.section = Decimal(0)  # the part below the current big unit
        self.current: Decimal | None = None  # a digit (or Arabic run) waiting for its unit
        self.current_is_single = False
        self.last_big: Decimal | None = None
        self.last_unit: Decimal | None = None  # the unit just before `current`, if any
        self.after_zero = False
        self.after_point = False

    def run(self) -> Decimal:
        with localcontext() as context:
            context.prec = 80
            position = 0
            while position < len(self.text):
                position = self._step(position)
            return self._finish()

    def _step(self, position: int) -> int:
        arabic = ARABIC.match(self.text, position)
        if arabic:
            literal = arabic.group()
            self._take_digit(Decimal(literal), single=len(literal) == 1)
            return arabic.end()
        char = self.text[position]
        if char in POINTS:
            return self._take_point(position + 1)
        numeral = numeral_table().get(char)
        if numeral is None:
            raise ValueError(f"not a number: {self.text!r}")
        self._take_numeral(numeral)
        return position + 1

    def _take_numeral(self, numeral: Numeral) -> None:
        if numeral.kind == "digit":
            if numeral.value == 0:
                self._take_zero()
            else:
                self._take_digit(Decimal(numeral.value), single=True)
        elif numeral.kind == "tens":
            self._require_no_pending()
            self.section += numeral.value
            self.last_unit = None
        elif numeral.kind == "small":
            self._take_small(Decimal(numeral.value))
        else:
            self._take_big(Decimal(numeral.value))

    def _require_no_pending(self) -> None:
        if self.current is not None or self.after_point:
            raise ValueError(f"not a number: {self.text!r}")

    def _take_digit(self, value: Decimal, single: bool) -> None:
        self._require_no_pending()
        self.current = value
        self.current_is_single = single

    def _take_zero(self) -> None:
        self._require_no_pending()
        self.after_zero = True
        self.last_unit = None

    def _take_small(self, unit: Decimal) -> None:
        if self.after_point:
            raise ValueError(f"not a number: {self.text!r}")
        if self.last_unit is not None and self.last_unit <= unit:
            raise ValueError(f"not a number: {self.text!r}")  # 七十百, 一十一十
        multiplier = self.current if self.current is not None else Decimal(1)
        self.section += multiplier * unit
        self.current = None
        self.last_unit = unit
        self.after_zero = False

    def _take_big(self, unit: Decimal) -> None:
        scaled = self.section + (self.current or 0)
        if scaled == 0 and self.total == 0:
            scaled = Decimal(1)
        if scaled == 0 and self.last_unit == self.last_big:
            # 萬萬 (= 億): a big unit right after another multiplies what came before.
            self.total = _in_range(self.total * unit)
            self.last_big = max(unit, self.last_big or unit)
            return
        if self.last_big is not None and unit > self.last_big:
            # 萬億, 五千萬億: a bigger unit scales everything before it.
            self.total = _in_range((self.total + scaled) * unit)
        else:
            self.total = _in_range(self.total + scaled * unit)
        self.last_big = unit
        self.section = Decimal(0)
        self.current = None
        self.last_unit = unit
        self.after_zero = False
        self.after_point = False

    def _take_point(self, position: int) -> int:
        digits = []
        table = numeral_table()
        while position < len(self.text):
            char = self.text[position]
            if char.isdigit() and char.isascii():
                digits.append(char)
            elif char in table and table[char].kind == "digit":
                digits.append(str(table[char].value))
            else:
                break
            position += 1
        if not digits or self.after_point:
            raise ValueError(f"not a number: {self.text!r}")
        whole = self.section + self._pending_value()
        self.section = Decimal(0)
        self.current = whole + Decimal("0." + "".join(digits))
        self.current_is_single = False
        self.after_point = True
        return position

    def _finish(self) -> Decimal:
        if self.current is None:
            if self.after_zero and self.section == 0 and self.total == 0:
                return Decimal(0)
            if self.section == 0 and self.total == 0 and self.last_unit is None:
                raise ValueError(f"not a number: {self.text!r}")
            return self.total + self.section
        return self.total + self.section + self._pending_value()

    def _pending_value(self) -> Decimal:
        if self.current is None:
            return Decimal(0)
        if self._is_abbreviated():
            # 九萬四 is 九萬四千, 三百五 is 三百五十: the digit takes the next lower unit.
            assert self.last_unit is not None
            return self.current * self.last_unit / 10
        return self.current

    def _is_abbreviated(self) -> bool:
        return (
            self.current_is_single
            and not self.after_zero
            and self.last_unit is not None
            and self.last_unit >= 100
        )
