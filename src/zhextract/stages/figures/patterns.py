"""Word tables (data/*.tsv, data/*.txt) and the regular expressions built from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .numbers import numeral_chars


@dataclass(frozen=True)
class UnitWord:
    """A word that can follow a number: a currency, percent sign, unit or classifier."""

    surface: str
    kind: str  # "percent", "currency", "measure", "time", "classifier", "ordinal"
    unit: str  # ISO code, canonical unit or the classifier itself
    divisor: int = 1  # percents: value = number / divisor
    self_counting: bool = False  # classifiers such as 人, 國: no noun follows
    counted_before: bool = False  # 架次: the counted noun comes before (戰機27架次)
    counts_one: bool = False  # 一雙, 一打: a lone 一 before it is a count


@dataclass(frozen=True)
class Tables:
    units: dict[str, UnitWord]  # words after a number, by surface
    currency_before: dict[str, str]  # surface -> ISO code
    approx_before: dict[str, str]  # word -> "near" / "about" / "over" / "under"
    approx_after: dict[str, str]
    not_numbers: frozenset[str]
    not_ordinals: tuple[str, ...]  # 第一夫人, 第三方: not ordinal figures
    approx_not_after: dict[str, str]  # 約 is not an approximation in 條約
    currency_names: dict[str, str]  # surface -> ISO code, for names that stand alone: 人民幣
    money_verbs: frozenset[str]  # 花了三塊: a bare 塊 after these is money, not a piece
    scale_words: dict[str, int]  # US$5 billion: English scale word -> power of ten


def _rows(name: str) -> list[list[str]]:
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text("utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@cache
def tables() -> Tables:
    units: dict[str, UnitWord] = {}
    for word, *_ in _rows("ordinal_units.txt"):
        units[word] = UnitWord(word, "ordinal", word)
    for word, *flags in _rows("classifiers.tsv"):
        units[word] = UnitWord(
            word,
            "classifier",
            word,
            self_counting="self" in flags,
            counted_before="before" in flags,
            counts_one="one" in flags,
        )
    for word, canonical, kind in _rows("units.tsv"):
        units[word] = UnitWord(word, kind, canonical)
    currency_before: dict[str, str] = {}
    currency_names: dict[str, str] = {}
    for word, code, position, *flags in _rows("currencies.tsv"):
        if position in ("after", "both"):
            subunit = 10 if "tenth" in flags else 1  # 1.2角 is 0.12 yuan
            units[word] = UnitWord(word, "currency", code, divisor=subunit)
        if position in ("before", "both"):
            currency_before[word] = code
        if "name" in flags:
            currency_names[word] = code
    for word, unit, divisor in _rows("percents.tsv"):
        units[word] = UnitWord(word, "percent", unit, divisor=int(divisor))
    approx_rows = _rows("approx.tsv")
    approx_before = {row[0]: row[2] for row in approx_rows if row[1] == "before"}
    approx_after = {row[0]: row[2] for row in approx_rows if row[1] == "after"}
    not_after = {row[0]: row[3] for row in approx_rows if len(row) > 3}
    not_numbers = frozenset(row[0] for row in _rows("not_numbers.txt"))
    not_ordinals = tuple(row[0] for row in _rows("not_ordinals.txt"))
    money_verbs = frozenset(row[0] for row in _rows("money_verbs.txt"))
    scale_words = {word: int(power) for word, power in _rows("scale_words.tsv")}
    return Tables(
        units,
        currency_before,
        approx_before,
        approx_after,
        not_numbers,
        not_ordinals,
        not_after,
        currency_names,
        money_verbs,
        scale_words,
    )


@cache
def script_chars() -> dict[str, re.Pattern[str]]:
    """Characters only Simplified (or only Traditional) text uses: data/script_chars.tsv."""
    return {script: re.compile(f"[{chars}]") for script, chars in _rows("script_chars.tsv")}


SCRIPT_SAMPLE = 20_000  # characters read to tell the script; a document keeps to one


def is_simplified(text: str) -> bool:
    """Whether `text` is written in Simplified characters (more of them than Traditional)."""
    patterns, sample = script_chars(), text[:SCRIPT_SAMPLE]
    simplified = len(patterns["simplified"].findall(sample))
    return simplified > len(patterns["traditional"].findall(sample))


def alternation(words: object) -> str:
    """A regex alternation of `words`, longest first so the longest word wins."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))  # type: ignore[call-overload]
    return "|".join(re.escape(word) for word in ordered)


# A full-width comma groups digits only in strict groups of three: 9，999. Each piece of
# a numeral is one character (or one comma group), and no two kinds of piece start with
# the same character, so the scan never backtracks over ways to split a digit run.
DIGIT_GROUP = r"[,，][0-9]{3}(?![0-9])"
POINT = "點点‧·."  # 一六‧四 (16.4) in Taiwanese print; "." once ． is folded
INFIX_APPROX = "多餘余幾几"
VAGUE_LEAD = "上幾几數数"
RANGE_SEPARATORS = ("至", "到", "~", "〜", "～", "-", "—", "–")
BETWEEN_SEPARATORS = ("與", "与", "和", "及", "到", "至")
BETWEEN_WORDS = ("之間", "之间")
MIDDLE_APPROX = ("多", "餘", "余", "幾", "几", "來", "来")
PER_FILLERS = "個个一"
CN_TAIL_DIGITS = "一二三四五六七八九"
# 三年半, 一噸半, 三成半: a trailing half, unless 半 starts a word (3家半導體廠).
HALF = r"半(?=$|[^\u4e00-\u9fff]|[的以多後后前來来內内之左])"


def _approx_before(table: Tables) -> str:
    words = sorted(table.approx_before, key=lambda word: (-len(word), word))
    guarded = []
    for word in words:
        not_after = table.approx_not_after.get(word)
        guard = f"(?<![{re.escape(not_after)}])" if not_after else ""
        guarded.append(guard + re.escape(word))
    return "|".join(guarded)


# A numeral of more pieces than this is no figure (2,000 digits in a row); the bound keeps
# the scan from building one huge match (extract.py skips the rest of such a run).
MAX_PIECES = 64


def number_pattern() -> str:
    """One numeral: Arabic, Chinese or mixed, with 點 decimals and an exponent."""
    piece = numeral_piece()
    digits = numeral_chars("digit").replace("幺", "")
    starts = digits + numeral_chars("tens") + "十拾"
    units = numeral_chars("small", "big").replace("打", "")
    every = numeral_chars("tens") + units
    exponent = r"(?:[eE][+-]?[0-9]+(?![A-Za-z])|[kK](?![A-Za-z])|\^[+-]?[0-9]+)"
    leading_point = r"(?<![0-9.])\.(?=[0-9])"  # .5, -.5
    # 千三 (1300), 百三 (130): a unit and one digit, the spoken abbreviation.
    abbreviated = rf"[百千佰仟](?=[{digits}](?![{digits}{every}{POINT}0-9]))"
    dozens = "(?:打)?"  # 五十打 (600); 一打開 is a word, left out by the word check
    lead = rf"(?:[0-9{starts}]|{leading_point}|{abbreviated})"
    return rf"{lead}{piece}{{0,{MAX_PIECES}}}{dozens}{exponent}?"


@cache
def numeral_piece() -> str:
    """One piece of a numeral after its first character."""
    digits = numeral_chars("digit").replace("幺", "")
    units = numeral_chars("small", "big").replace("打", "")
    every = numeral_chars("tens") + units  # digits: not right after an Arabic digit (3五)
    # 323千卡 is 323 kilocalories, not 323000 卡: a unit word may start with 千 or 兆.
    prefixed = alternation(word for word in tables().units if word[0] in units and len(word) > 1)
    return (
        rf"(?:[0-9]|{DIGIT_GROUP}|(?<![0-9])[{digits}]|(?!{prefixed})[{every}]"
        rf"|[{POINT}](?=[0-9{digits}])"
        rf"|[{INFIX_APPROX}](?=[{units}]))"
    )


@cache
def numeral_rest() -> re.Pattern[str]:
    """The rest of a numeral run, to skip past one too long to be a figure."""
    return re.compile(rf"(?:{numeral_piece()})*")


def vague_pattern() -> str:
    """上百, 數千, 幾十萬: a lead word and bare units."""
    units = numeral_chars("small", "big").replace("打", "")
    return rf"[{VAGUE_LEAD}][{units}]+"


@cache
def figure_regex() -> re.Pattern[str]:
    table = tables()
    number = number_pattern()
    per_words = alternation([*table.units, "月", "日", "年", "季", "天"])
    unit_words = alternation(table.units)
    currency_before = alternation(table.currency_before)
    currency_both = alternation(set(table.currency_before) & set(table.units))
    latin_units = alternation(word for word in table.units if word.isascii() and word.isalpha())
    cn_digits = numeral_chars("digit").replace("〇", "").replace("零", "").replace("○", "")
    # 五分之一, 3又1/2, 1 3/5: a whole part before 又 (or a space before a slash fraction).
    slash = r"[0-9]++[/／][0-9]+(?![0-9/／])"
    signed = r"(?:[負负\-−])?"  # 負3分之負157
    # Atomic (?>...): a numeral not followed by 又 or 分之 fails at once, with no retry of
    # every shorter numeral (each retry would rescan it).
    whole = rf"(?:(?>{number})又|[0-9]++\x20(?={slash}))"
    fraction = rf"{whole}?(?:(?>{number})分之{signed}{number}|{slash})"
    bare_units = r"[百千萬万億亿兆]+"  # only after an approximation word: 近百, 逾千
    # 打對折 (50%), 半成 (5%), 半折 (half price).
    special = r"(?<=打)[對对](?=折)|半(?=[成折])|半百"
    value = rf"(?:{fraction}|{number}|{vague_pattern()}|{bare_units}|{special})"
    pattern = rf"""
        (?=[{re.escape(_first_chars(table))}])
        (?P<per_pre>(?:每[{PER_FILLERS}]?(?:{per_words}))+)?
        (?:(?P<approx_pre>{_approx_before(table)})(?!第))?
        (?P<ordinal>第)?
        (?:(?P<cur_pre>{currency_before})(?:\x20(?=[0-9]))?)?
        (?P<pct_pre>[百千萬万億亿佰仟]+分之)?
        (?P<sign>零下|(?<![負负\-−－])[負负\-−])?
        (?P<num>{value})
        (?P<scale>\x20?(?:{alternation(table.scale_words)})(?![A-Za-z]))?
        (?:
            (?P<range_sep>{alternation(RANGE_SEPARATORS)}|(?<=[{cn_digits}])、(?=[{cn_digits}]))
            (?P<cur_pre2>{currency_before})?(?P<num2>{value})
          | (?P<between_sep>{alternation(BETWEEN_SEPARATORS)})(?P<num3>{value})(?=(?:{unit_words})?(?:{alternation(BETWEEN_WORDS)}))
        )?
        (?P<approx_mid>{alternation(MIDDLE_APPROX)})?
        (?P<unit>{unit_words}|\x20(?:{latin_units})(?![A-Za-z])|(?P<rank>大))?
        (?P<tail>(?<=成)[1-9{CN_TAIL_DIGITS}](?![0-9{CN_TAIL_DIGITS}十百千萬万億亿點点.])|{HALF})?
        (?P<cur_tail>(?<=元)(?:{currency_both}))?
        (?:(?<=[元圓块塊])(?P<jiao>[0-9{CN_TAIL_DIGITS}])[角毛])?
        (?:(?<=[元圓块塊角毛])(?P<fen>[0-9{CN_TAIL_DIGITS}])分(?!之|[鐘钟]))?
        (?:(?<=美元)又?(?P<cent>[0-9]{{1,2}}|[{CN_TAIL_DIGITS}十]{{1,3}})美分)?
        (?:(?<=日[元圓圆]|.円)(?P<sen>[0-9]{{1,2}}|[{CN_TAIL_DIGITS}十]{{1,3}})(?:日本)?[銭錢钱])?
        (?P<between>{alternation(BETWEEN_WORDS)})?
        (?P<approx_post>{alternation(table.approx_after)})?
        (?P<per_post>/(?:{per_words}))?
    """
    return re.compile(pattern, re.VERBOSE)


def _first_chars(table: Tables) -> str:
    """Every character a figure can start with (a lookahead on them lets the scan skip
    other text quickly; it never changes a match): 每, approximation and currency words,
    第, signs, and the first characters of numerals."""
    chars = set(
        "每第零負负-−.半對对0123456789" + numeral_chars() + VAGUE_LEAD + "百千萬万億亿兆佰仟"
    )
    chars.update(word[0] for word in (*table.approx_before, *table.currency_before))
    return "".join(sorted(chars))


@cache
def currency_name_regex() -> re.Pattern[str]:
    """A currency named with no amount (人民幣兌美元); not 歐元 in 歐元區."""
    return re.compile(rf"(?:{alternation(tables().currency_names)})(?![區区])")


URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+")
PER_WORD = re.compile(rf"每[{PER_FILLERS}]?")
PHONE = re.compile(
    r"(?<![0-9])(?:\+?886[-\s]?|\(0[0-9]{1,3}\)\s?|0[0-9]{1,3}-)[0-9]{3,4}-?[0-9]{3,4}(?![0-9])"
    r"|(?<![0-9])09[0-9]{2}-?[0-9]{3}-?[0-9]{3}(?![0-9])"
)
