"""Find numeric expressions in a text: money, percentages, quantities, ordinals, durations.

`find_figures(text, blocked, tokens)` returns span dicts (see the package docstring for
their fields). `blocked` marks characters already taken (entities, dates, phone numbers);
a figure never overlaps them. `tokens` (start, end, pos) lets the counted noun after a
figure be read off word boundaries: `100萬就業機會` counts 就業機會.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress
from typing import Any

from ...doc import covered
from .counted import Token, TokenIndex, counted_noun, is_fraction
from .numbers import numeral_chars, parse_number
from .patterns import (
    PER_WORD,
    PHONE,
    RANGE_SEPARATORS,
    URL,
    UnitWord,
    currency_name_regex,
    figure_regex,
    is_simplified,
    numeral_rest,
    tables,
)

Groups = dict[str, Any]
Value = Decimal | list[Decimal]
RATE_CLASSIFIERS = ("次", "回", "趟", "遍")
PIECE_OR_YUAN = ("塊", "块")  # 三塊蛋糕 counts pieces; 花了三塊 is money
MONEY_VERB_REACH = 4  # characters before the amount searched for 花, 付, 賣 ...
VERB_TRAILERS = "了我你他她"  # 花了三塊, 花費我三塊
ARITHMETIC = "+=×*÷^"
ENUMERATOR_AFTER = ("、", ".", "．")
BARE_UNITS = "百千萬万億亿兆"
VAGUE_LEADS = "上幾几數数"
LIANG = "兩两"
LONE_NOT_COUNTS = ("一", "零", "〇")
DOZEN = "打"
TIMES_OR_DEGREES, TIMES = "度", "次"
SLIGHTLY = {"強": "over", "强": "over", "弱": "under"}
FRACTION_UNITS = {100: "%", 1000: "‰", 10000: "‱"}
# 打對折 is 五折; 半成 is half of 一成; 半折 (half price) is 五折.
SPECIAL_NUMERALS = {"對": Decimal(5), "对": Decimal(5), "半": Decimal("0.5")}
# A longer run of numeral characters is not a figure (and retrying shorter stretches of
# it would make the scan quadratic): 一一一…, 2,000 digits.
MAX_NUMERAL_CHARS = 64
DECIMAL_POINTS = "點点‧·."


AUTO = "auto"


@dataclass
class FigureSettings:
    """Choices the pipeline config may set."""

    # bare 元: "auto" reads the script (CNY in Simplified text, TWD in Traditional); a
    # currency code forces it.
    yuan_currency: str = AUTO
    dollar_currency: str = "USD"  # bare $
    keep_bare_cardinals: bool = True  # plain numbers with no unit (CARDINAL)
    currency_names: bool = True  # a currency named with no amount (人民幣) as MONEY, value None


def _masked(text: str, taken: list[bool], folded: Sequence[bool] | None) -> str:
    """`text` with NUL for every taken character and every comma that groups no digits;
    the per-character work stays in C (compress, find)."""
    chars = list(text)
    for index in compress(range(len(text)), taken):
        chars[index] = "\x00"
    index = text.find("，")
    while index >= 0:
        if not _groups_digits(index, folded):
            chars[index] = "\x00"
        index = text.find("，", index + 1)
    return "".join(chars)


def find_figures(
    text: str,
    blocked: Sequence[bool] | None = None,
    tokens: Sequence[Token] = (),
    settings: FigureSettings | None = None,
    folded: Sequence[bool] | None = None,
) -> list[dict[str, Any]]:
    """Figure spans of `text` in order, none overlapping a blocked character.

    `folded[i]` says text[i] was full-width in the source: a full-width comma groups
    digits (９，９９９) only between digits that were full-width too, since after ASCII
    digits it is the ordinary Chinese comma ($20，300美元 lists two prices).
    """
    settings = settings or FigureSettings()
    if settings.yuan_currency == AUTO:
        yuan = "CNY" if is_simplified(text) else "TWD"
        settings = FigureSettings(**(vars(settings) | {"yuan_currency": yuan}))
    taken = list(blocked) if blocked is not None else [False] * len(text)
    for pattern in (PHONE, URL):
        for masked_match in pattern.finditer(text):
            start, end = masked_match.span()
            taken[start:end] = [True] * (end - start)
    masked = _masked(text, taken, folded)
    words = TokenIndex.of(tokens)
    found: list[dict[str, Any]] = []
    regex, position = figure_regex(), 0
    while (whole_match := regex.search(masked, position)) is not None:
        position = whole_match.end()
        if len(whole_match.group("num")) > MAX_NUMERAL_CHARS:
            rest = numeral_rest().match(masked, position)
            position = rest.end() if rest else position
            continue
        read = _read_or_shorten(whole_match, masked, settings)
        if read is None:
            continue
        match, groups, figure = read
        if not _plausible(match, groups, figure, text) or _inside_word(
            match, figure, groups, words
        ):
            continue
        figure["counted"] = counted_noun(figure, groups, text, words)
        _times_not_degrees(figure, text, words)
        _a_little_more_or_less(figure, groups, text, words)
        if groups["rank"] and figure["counted"] is None:
            continue  # 三大 only counts when a noun follows: 三大軟體公司
        if _pieces_are_money(figure, text):
            figure.update(label="MONEY", unit=settings.yuan_currency)
        figure["text"] = text[figure["start"] : figure["end"]]
        found.append(figure)
    found = _merge_ranges(found, text)
    if settings.currency_names:
        found = sorted(found + _currency_names(text, masked, found), key=lambda item: item["start"])
    return found


def _times_not_degrees(figure: dict[str, Any], text: str, words: TokenIndex) -> None:
    """七度訪美 is seven visits (度 before a verb counts times); 攝氏35度 is a temperature."""
    if figure["unit"] != TIMES_OR_DEGREES or figure["end"] not in words.starts:
        return
    start, end, pos = words.tokens[words.starts[figure["end"]]]
    if pos.startswith("v"):
        figure.update(unit=TIMES, counted=text[start:end])


def _a_little_more_or_less(
    figure: dict[str, Any], groups: Groups, text: str, words: TokenIndex
) -> None:
    """四分之三強 is a little over three quarters, 兩成弱 a little under: 強/弱 as a word of
    its own after a fraction or a share (not 強勢, 弱化)."""
    end = figure["end"]
    word = text[end : end + 1]
    if word not in SLIGHTLY or figure["approx"] is not None:
        return
    share = is_fraction(groups["num"]) or figure["label"] == "PERCENT"
    if share and _word_ends_after(end, words):
        figure.update(end=end + 1, approx=SLIGHTLY[word])


def _word_ends_after(offset: int, words: TokenIndex) -> bool:
    """Whether a word ends right after the character at `offset` (強 in 三強, not 強勢)."""
    return offset + 1 in words.ends


def _merge_ranges(found: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """20%至30%, 3億美元到5億美元: two figures of one kind joined by a range word are one
    range (the regex already reads 20至30%, where the unit is said once)."""
    merged: list[dict[str, Any]] = []
    for figure in found:
        previous = merged[-1] if merged else None
        if previous is not None and _range_pair(previous, figure, text):
            low, high = previous["value"], figure["value"]
            previous.update(value=[low, high], end=figure["end"], counted=figure["counted"])
            previous["text"] = text[previous["start"] : previous["end"]]
            continue
        merged.append(figure)
    return merged


def _range_pair(first: dict[str, Any], second: dict[str, Any], text: str) -> bool:
    same_kind = all(first.get(key) == second.get(key) for key in ("label", "unit", "per"))
    scalar = all(isinstance(item["value"], Decimal) for item in (first, second))
    joined = text[first["end"] : second["start"]] in RANGE_SEPARATORS
    return bool(same_kind and scalar and joined and second["approx"] is None)


def _pieces_are_money(figure: dict[str, Any], text: str) -> bool:
    """花了三塊: 塊 with no noun after it, after a verb of paying, is the yuan."""
    if figure["unit"] not in PIECE_OR_YUAN or figure["counted"] is not None:
        return False
    before = text[max(0, figure["start"] - MONEY_VERB_REACH) : figure["start"]]
    before = before.rstrip(VERB_TRAILERS)
    return any(before.endswith(verb) for verb in tables().money_verbs)


def _currency_names(text: str, masked: str, figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Currencies named with no amount (人民幣兌美元): MONEY with value None."""
    in_figures = covered(len(text), figures)
    names = []
    for match in currency_name_regex().finditer(masked):
        start, end = match.span()
        if any(in_figures[start:end]):
            continue
        code = tables().currency_names[match.group()]
        names.append(
            {
                "text": text[start:end],
                "start": start,
                "end": end,
                "label": "MONEY",
                "value": None,
                "unit": code,
                "counted": None,
                "approx": None,
                "kind": "currency_name",
            }
        )
    return names


def _read_or_shorten(
    match: re.Match[str], masked: str, settings: FigureSettings
) -> tuple[re.Match[str], Groups, dict[str, Any]] | None:
    """Read a match; when its numeral does not parse (百分之七十百分位), retry on a shorter
    stretch of text so the longest numeral that does parse is kept (百分之七十). A numeral
    with two decimal points (1.5.3, 192.168.1.1, 第1.2.3條) is a version, an address or a
    section number: no figure, and no shorter one either."""
    numeral = match.group("num")
    if len(numeral) > MAX_NUMERAL_CHARS or _dotted(numeral):
        return None
    groups = _split_unit_from_numeral(match.groupdict())
    figure = _read(match, groups, settings)
    if figure is not None:
        return match, groups, figure
    for end in range(match.end("num") - 1, match.start("num"), -1):
        shorter = figure_regex().match(masked, match.start(), end)
        if shorter is None or shorter.end() != end:
            continue
        groups = _split_unit_from_numeral(shorter.groupdict())
        figure = _read(shorter, groups, settings)
        if figure is not None:
            return shorter, groups, figure
    return None


def _dotted(numeral: str) -> bool:
    return sum(numeral.count(point) for point in DECIMAL_POINTS) > 1


def _groups_digits(index: int, folded: Sequence[bool] | None) -> bool:
    if folded is None or index == 0 or index + 1 >= len(folded):
        return False
    return folded[index - 1] and folded[index + 1]


def _split_unit_from_numeral(groups: Groups) -> Groups:
    """三千比特 is 3 千比特 and 三十兩 is 30 兩: the numeral's last character starts the unit."""
    numeral, unit = groups["num"], (groups["unit"] or "").strip()
    groups = groups | {"unit": unit or None}  # "100 USD": the space is not the unit
    units = tables().units
    if len(numeral) < 2:
        return groups
    if unit and numeral[-1] + unit in units:
        return groups | {"num": numeral[:-1], "unit": numeral[-1] + unit}
    if not unit and numeral[-1] in LIANG and numeral[-2] not in LIANG:  # 兩兩: in pairs
        return groups | {"num": numeral[:-1], "unit": numeral[-1]}
    return groups


def _read(match: re.Match[str], groups: Groups, settings: FigureSettings) -> dict[str, Any] | None:
    unit_word = tables().units.get(groups["unit"] or "")
    try:
        value = _value(groups)
        label, unit, value = _label_unit_value(groups, unit_word, value, settings)
    except ValueError:  # a part that does not parse (a 千千分之 prefix): no figure here
        return None
    if label is None:
        return None
    start, per = _start_and_per(match, label, unit_word)
    figure: dict[str, Any] = {
        "text": "",
        "start": start,
        "end": match.end(),
        "label": label,
        "value": value,
        "unit": unit,
        "counted": None,
        "approx": _approx(groups),
    }
    if groups["per_post"]:
        per = "/".join(filter(None, [per, groups["per_post"][1:]]))
    if per:
        figure["per"] = per
    if label == "DATE":
        figure["kind"] = "duration"
    return figure


def _value(groups: Groups) -> Value:
    sign = -1 if groups["sign"] else 1
    second = groups["num2"] or groups["num3"]
    if groups["range_sep"] == "、":
        return _listed_range(groups["num"], second)
    low, high = _numeral_value(groups["num"])
    if second:
        high = _numeral_value(second)[1]
        return [sign * _shared_scale(groups["num"], low, second, high), high]
    scale = Decimal(10) ** tables().scale_words[groups["scale"].strip()] if groups["scale"] else 1
    if low != high:
        return [sign * low * scale, sign * high * scale]
    return sign * (low * scale + _tail_value(groups) + _small_change(groups))


def _shared_scale(first: str, low: Decimal, second: str, high: Decimal) -> Decimal:
    """3至5億 is 3億 to 5億: the big unit ending the high end (萬, 億, 兆) is the low end's
    too, where the low end has none and the range stays in order (8000至1萬 keeps 8000)."""
    big = numeral_chars("big").replace("打", "")
    if any(char in big for char in first):
        return low
    unit = second[len(second.rstrip(big)) :]
    if not unit or unit == second:
        return low
    scaled = low * parse_number("1" + unit)
    return scaled if scaled <= high else low


def _listed_range(first: str, second: str) -> list[Decimal]:
    """三、四十 is 30 to 40 and 一、二 is 1 to 2: the first digit borrows the second's units."""
    if len(first) != 1:
        raise ValueError(f"not a listed range: {first}、{second}")
    return [parse_number(first + second[1:]), parse_number(second)]


def _adjacent_digits(numeral: str) -> tuple[Decimal, Decimal] | None:
    """兩三個, 三四十, 五六百萬: two neighbouring digits give a range."""
    digits = numeral_chars("digit")
    if len(numeral) < 2 or numeral[0] not in digits or numeral[1] not in digits:
        return None
    low_digit, high_digit = parse_number(numeral[0]), parse_number(numeral[1])
    if low_digit == 0 or high_digit != low_digit + 1:
        return None
    rest = numeral[2:]
    if rest and rest[0] in digits:
        return None  # 一二三四: a digit string, not a range
    return parse_number(numeral[0] + rest), parse_number(numeral[1] + rest)


def _numeral_value(numeral: str) -> tuple[Decimal, Decimal]:
    """Low and high values: equal except for 幾十 / 數百 (several tens or hundreds) and
    neighbouring digits (兩三個)."""
    adjacent = _adjacent_digits(numeral)
    if adjacent is not None:
        return adjacent
    if numeral in SPECIAL_NUMERALS:
        value = SPECIAL_NUMERALS[numeral]
        return value, value
    lead = numeral[0]
    if lead in VAGUE_LEADS:
        unit = parse_number(numeral[1:])
        if lead == "上":
            return unit, unit
        return 2 * unit, 9 * unit
    value = parse_number(numeral)
    return value, value


def _tail_value(groups: Groups) -> Decimal:
    """七成六 adds 0.6 成; 一噸半 adds half a ton."""
    tail = groups["tail"]
    if not tail:
        return Decimal(0)
    if tail == "半":
        return Decimal("0.5")
    return parse_number(tail) / 10


def _small_change(groups: Groups) -> Decimal:
    """五元三毛, 50元6角三分: tenths (角, 毛) and hundredths (分) of a yuan."""
    change = Decimal(0)
    if groups["jiao"]:
        change += parse_number(groups["jiao"]) / 10
    if groups["fen"]:
        change += parse_number(groups["fen"]) / 100
    if groups["cent"]:
        change += parse_number(groups["cent"]) / 100
    if groups["sen"]:
        change += parse_number(groups["sen"]) / 100  # 銭, a hundredth of a yen
    return change


def _label_unit_value(
    groups: Groups, unit_word: UnitWord | None, value: Value, settings: FigureSettings
) -> tuple[str | None, str | None, Value]:
    currency = groups["cur_pre"] or groups["cur_pre2"] or groups["cur_tail"]
    if groups["ordinal"]:
        if unit_word is not None and unit_word.kind not in ("classifier", "ordinal", "time"):
            return None, None, value
        return "ORDINAL", unit_word.surface if unit_word else None, value
    if groups["pct_pre"]:
        divisor = int(parse_number(groups["pct_pre"][:-2]))
        return "PERCENT", FRACTION_UNITS.get(divisor, "fraction"), _scale(value, divisor)
    if currency:
        code = tables().currency_before.get(currency) or tables().units[currency].unit
        if currency == "$":
            code = settings.dollar_currency  # a bare $ may be NT$ in Taiwanese text
        return "MONEY", _currency_code(code, settings), value
    if unit_word is None:
        known = not groups["unit"] or groups["rank"]
        return ("CARDINAL" if known else None), None, value
    if unit_word.kind == "percent":
        percent_divisor = _percent_divisor(unit_word, groups["num"], value)
        if percent_divisor is None:
            return None, None, value
        return "PERCENT", unit_word.unit, _scale(value, percent_divisor)
    if unit_word.kind == "currency":
        return "MONEY", _currency_code(unit_word.unit, settings), _scale(value, unit_word.divisor)
    if unit_word.kind == "time":
        return "DATE", unit_word.unit, value
    if unit_word.kind in ("measure", "classifier"):
        return "QUANTITY", unit_word.unit, value
    if _spelled_out(groups["num"]):
        return "QUANTITY", unit_word.unit, value  # 一千零十二章 counts chapters
    return None, None, value  # 二代, 三行: an ordinal-only word after one character


def _spelled_out(numeral: str) -> bool:
    """A numeral no word starts with: Arabic digits, or two Chinese characters or more."""
    return len(numeral) >= 2 or numeral.isascii()


def _currency_code(code: str, settings: FigureSettings) -> str:
    if code == "YUAN":
        return settings.yuan_currency
    return code


def _scale(value: Value, divisor: int) -> Value:
    """Percentages as ratios: 5% -> 0.05, 三成 -> 0.3."""
    if isinstance(value, list):
        return [_exact_ratio(item, divisor) for item in value]
    return _exact_ratio(value, divisor)


def _percent_divisor(unit_word: UnitWord, numeral: str, value: Value) -> int | None:
    """折 is tenths (八折 = 0.8), but 六五折 and 75折 are hundredths; 十折 is no discount."""
    if unit_word.surface != "折":
        return unit_word.divisor
    if numeral == "半":
        return 1
    digits = numeral_chars("digit") + "0123456789"
    if len(numeral) == 2 and all(char in digits for char in numeral):
        return 100
    if isinstance(value, list) or value >= 10:
        return None
    return unit_word.divisor


def _exact_ratio(value: Decimal, divisor: int) -> Decimal:
    ratio = value / divisor
    return Decimal(int(ratio)) if ratio == ratio.to_integral_value() else ratio.normalize()


def _approx(groups: Groups) -> str | None:
    table = tables()
    numeral = groups["num"]
    if groups["approx_pre"]:
        return table.approx_before[groups["approx_pre"]]
    if numeral[0] == "上":
        return "over"
    if numeral[0] in "幾几數数" or groups["approx_mid"] in ("幾", "几", "來", "来"):
        return "about"
    if groups["approx_mid"] or any(char in numeral for char in "多餘余幾几"):
        return "over"
    if groups["approx_post"]:
        return table.approx_after[groups["approx_post"]]
    return None


def _start_and_per(
    match: re.Match[str], label: str, unit_word: UnitWord | None
) -> tuple[int, str | None]:
    """Where the figure starts, and the rate (每月, 每桶) when one applies to it."""
    per_prefix = match.group("per_pre")
    if not per_prefix:
        return match.start(), None
    rate_like = label in ("MONEY", "PERCENT", "DATE") or (
        unit_word is not None
        and (unit_word.kind == "measure" or unit_word.surface in RATE_CLASSIFIERS)
    )
    if not rate_like:
        return match.end("per_pre"), None  # 每年兩國: 兩國 is not a rate
    words = [word for word in PER_WORD.split(per_prefix) if word]
    return match.start(), "/".join(_canonical_per(word) for word in words)


def _canonical_per(word: str) -> str:
    unit_word = tables().units.get(word)
    return unit_word.unit if unit_word is not None and unit_word.kind == "time" else word


def _plausible(match: re.Match[str], groups: Groups, figure: dict[str, Any], text: str) -> bool:
    """Reject codes (G7, F-16), sums (2+2), enumerators (一、) and wordy numerals (一些)."""
    start, number_end = match.start("num"), match.end("num")
    sign_start = match.start("sign") if groups["sign"] else start
    if _inside_code(text, sign_start, number_end) or _arithmetic(text, start, number_end):
        return False
    numeral = groups["num"]
    if groups["ordinal"] and text.startswith(tables().not_ordinals, match.start("ordinal")):
        return False
    if groups["pct_pre"] or is_fraction(numeral):
        return True
    if numeral[0] in BARE_UNITS and not groups["approx_pre"] and not _abbreviated(numeral):
        return False  # 千萬 is "by all means"; 近百, 逾千 are fine
    if figure["label"] != "CARDINAL" or groups["unit"]:
        return _plausible_with_unit(groups)
    if groups["approx_pre"] and numeral[0] not in BARE_UNITS:
        return _plausible_bare(numeral)
    if _model_number(text, start):
        return False
    if groups["per_pre"] or groups["approx_post"] or groups["approx_mid"]:
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if after in ENUMERATOR_AFTER and (before in ("", "\n", "(", "（") or after == "、"):
        return False
    if before in ("(", "（") and after in (")", "）") and len(numeral) <= 2:
        return False
    return _plausible_bare(numeral)


def _inside_word(
    match: re.Match[str], figure: dict[str, Any], groups: Groups, words: TokenIndex
) -> bool:
    """登陸部隊, 淨零升級, 十萬火急: characters written as numerals inside a word the
    segmenter knows (one that runs across the numeral's start or the figure's end) are no
    figure. Arabic digits always count; a word joining an approximation to what precedes
    it (增約 in 年增約一成三) does not matter."""
    if any(char.isdigit() and char.isascii() for char in groups["num"]):
        return False
    word = words.word_across(match.start("sign") if groups["sign"] else match.start("num"))
    if word is not None and word[0] < figure["start"]:
        return True  # 近三成 is one word, all of it inside the figure: fine
    unit = groups["unit"] or ""
    # 五頭牛: the segmenter joins a classifier to its noun (頭牛); the numeral stands apart.
    unit_starts_word = bool(unit) and (figure["end"] - len(unit)) in words.starts
    after = match.string[figure["end"] : figure["end"] + 1]
    slightly = after in SLIGHTLY and _word_ends_after(figure["end"], words)
    across = words.word_across(figure["end"]) is not None
    return across and not unit_starts_word and not slightly  # 四分之三強: 三強 is one word


def _model_number(text: str, start: int) -> bool:
    """iPhone 15, Windows 11, COVID 19: a bare number after a Latin word names a model."""
    return (
        start > 1
        and text[start - 1] == " "
        and text[start - 2].isascii()
        and text[start - 2].isalpha()
    )


def _inside_code(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    before2 = text[start - 2] if start > 1 else ""
    after = text[end] if end < len(text) else ""
    if before.isascii() and before.isalpha():
        return True
    if before in ("-", "_") and before2.isascii() and before2.isalnum():
        return True
    return after.isascii() and after.isalpha() and not _latin_unit_follows(text, end)


def _latin_unit_follows(text: str, end: int) -> bool:
    word = re.match(r"[A-Za-z$]+", text[end:])
    return word is not None and word.group() in tables().units


def _arithmetic(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    after2 = text[end + 1] if end + 1 < len(text) else ""
    before2 = text[start - 2] if start > 1 else ""
    return bool(
        (after and after in ARITHMETIC and after2.isdigit())
        or (before and before in ARITHMETIC and before2.isdigit())
    )


def _plausible_with_unit(groups: Groups) -> bool:
    """A lone 一 with a classifier is an article (一項, 一個), not a count; a lone 零 with
    one starts a word (零組件, 零件)."""
    if groups["num"] not in LONE_NOT_COUNTS or groups["ordinal"] or groups["approx_pre"]:
        return True
    unit_word = tables().units.get(groups["unit"] or "")
    kinds = ("currency", "measure", "percent", "time")
    if unit_word is not None and unit_word.counts_one:
        return True  # 一雙, 一對
    return bool(groups["cur_pre"]) or (unit_word is not None and unit_word.kind in kinds)


def _plausible_bare(numeral: str) -> bool:
    """Arabic numbers stand alone; Chinese ones only when clearly numerals (三百, 十二萬)."""
    if any(char.isdigit() and char.isascii() for char in numeral):
        return True
    if numeral in tables().not_numbers or len(numeral) < 2:
        return False
    if numeral == "半百" or _abbreviated(numeral) or numeral.endswith(DOZEN):
        return True
    digits = numeral_chars("digit")
    units = numeral_chars("small", "big", "tens")
    whole, point, fraction = _split_decimal(numeral)
    if point and whole and fraction and all(char in digits for char in whole + fraction):
        return True  # 零點五, 二點五
    leads = digits + "十拾"  # 十萬, 十多萬: a leading 十 is 一十
    return numeral[0] in leads and any(char in units for char in numeral)


def _abbreviated(numeral: str) -> bool:
    """千三 (1300), 百三 (130)."""
    return len(numeral) == 2 and numeral[0] in "百千佰仟" and numeral[1] in numeral_chars("digit")


def _split_decimal(numeral: str) -> tuple[str, str, str]:
    for point in DECIMAL_POINTS:
        if point in numeral:
            return numeral.partition(point)
    return numeral, "", ""
