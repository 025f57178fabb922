"""Dates and times in Chinese text, resolved to ISO strings.

Forms: `2025年2月7日`, `二〇二五年`, `2025/2/7`, `2025-02-07`, ROC years (`民國114年3月5日`,
`114年度`, `114/3/5`: +1911), `今(2025)年`, month-day dates whose year is implied by an
earlier date in the document, relative dates (`今年`, `去年底`, `上月`, `明年`, `今（5）日`)
resolved against a reference date, and times of day (`上午10時30分`) joined to the date
they follow. The reference date is `doc.doc_date`, else a date the document states after
a label such as `發布日期：`. What cannot be resolved gets value None and a `reason`.

Also: lunar dates and festivals as Gregorian dates through data/lunar_years.tsv (written by
tools/make_lunar_table.py) and data/festivals.tsv (`農曆八月十五`, `除夕`, `元旦`), reign-era
years (data/reign_eras.tsv: `光緒十三年`, `昭和12年`), words that bound a date before or after
it (`自2019年起`, `截至2025年底`, `2030年前`: `mod`), ordinal months of a stated year
(`2021年的第三個月`), and day-month-year dates told apart by the number above 12. Names that
start like a date word (`今日頭條`) are in data/not_dates.txt.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .numbers import parse_number

ROC_OFFSET = 1911
TEXT_BASIS, STATED_BASIS = "text", "stated"
FORWARD_REACH = 4  # characters either side of a bare day searched for 將, 預計 ...
MIN_YEAR, MAX_YEAR = 1, 9999  # what an ISO date (and Python's date) can hold
OUT_OF_RANGE = {"value": None, "reason": "date out of range"}
NO_SUCH_TIME = ""
WEEKDAYS = "一二三四五六日"
CN_DIGIT = "〇零○一二三四五六七八九"
CN_SMALL = CN_DIGIT + "十兩两廿卅"
LUNAR_MARKS = ["農曆", "农历", "陰曆", "阴历", "舊曆", "旧历"]
LUNAR_MONTHS = {"正": 1, "冬": 11, "臘": 12, "腊": 12}  # the months with names of their own
YEAR_PART_SUFFIX = {"底": "12", "末": "12", "初": "01"}
# 八月十五 ends a date without 日 when nothing follows the Chinese day.
# 十九日, 二十八日 (not 一日, which is as often "one day")
CN_DAY_NUMBER = r"(?:[二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|三十一?)"
CN_DAY_END = r"(?<=[一二三四五六七八九十])(?![\u4e00-\u9fff0-9])"


def _rows(name: str) -> list[list[str]]:
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text("utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@cache
def relative_words() -> dict[str, tuple[str, int]]:
    """Relative date words: word -> (unit moved, offset)."""
    return {word: (unit, int(offset)) for word, unit, offset in _rows("relative_dates.tsv")}


@cache
def day_parts() -> dict[str, int]:
    """Times of day (下午) and the hours they add to a 12-hour clock."""
    return {word: int(hours) for word, hours in date_words("day_part").items()}


@cache
def date_words(kind: str) -> dict[str, str]:
    """Words of one kind in data/date_words.tsv: mods (以前 -> before), centuries (上世紀)."""
    return {word: value for word, row_kind, value in _rows("date_words.tsv") if row_kind == kind}


@cache
def date_offsets(kind: str) -> dict[str, str]:
    """Week shifts (上週), offset units (5年前) and directions (前, 後): data/date_offsets.tsv."""
    return {word: value for word, row_kind, value in _rows("date_offsets.tsv") if row_kind == kind}


@cache
def reference_labels() -> list[str]:
    return [row[0] for row in _rows("reference_labels.txt")]


@cache
def not_dates() -> tuple[str, ...]:
    """Names that start like a date word (今日頭條): data/not_dates.txt."""
    return tuple(row[0] for row in _rows("not_dates.txt"))


@cache
def festivals() -> dict[str, tuple[str, int, int | None]]:
    """Festival -> (calendar, month, day; None for the month's last day): data/festivals.tsv."""
    return {
        word: (calendar_name, int(month), None if day == "last" else int(day))
        for word, calendar_name, month, day in _rows("festivals.tsv")
    }


@cache
def reign_eras() -> dict[str, tuple[int, int, int]]:
    """Era -> (Gregorian year of its first year, years (0: open), first year with
    Gregorian months (0: never)): data/reign_eras.tsv."""
    return {
        era: (int(first), int(years), int(gregorian))
        for era, first, years, gregorian in _rows("reign_eras.tsv")
    }


@cache
def lunar_years() -> dict[int, tuple[dt.date, int, tuple[int, ...]]]:
    """Lunar year -> (Gregorian date of 正月初一, leap month or 0, month lengths in order):
    data/lunar_years.tsv, written by tools/make_lunar_table.py."""
    return {
        int(year): (dt.date.fromisoformat(start), int(leap), tuple(int(n) for n in lengths.split()))
        for year, start, leap, lengths in _rows("lunar_years.tsv")
    }


def _mod_pattern(kind: str) -> str:
    """The mod words of `kind` as an alternation, each with its guards from date_words.tsv
    (前 counts only after 年 or 底, never before 往 or a numeral)."""
    only_after, not_before = date_words("mod_only_after"), date_words("mod_not_before")
    not_after = date_words("mod_not_after")
    words = sorted(date_words(kind), key=len, reverse=True)
    parts = []
    for word in words:
        part = re.escape(word)
        if word in only_after:
            part = f"(?<=[{re.escape(only_after[word])}]){part}"
        if word in not_after:
            part = f"(?<![{re.escape(not_after[word])}]){part}"
        if word in not_before:
            part += f"(?![{re.escape(not_before[word])}])"
        parts.append(part)
    return "|".join(parts)


def _guarded(words: Sequence[str], name: str) -> str:
    """A named group of `words` behind a test of their first characters, so that the
    alternation is tried only where one of them starts."""
    firsts = re.escape("".join(sorted({word[0] for word in words})))
    return f"(?=[{firsts}])(?P<{name}>{_alternation(words)})"


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


NUMERAL_STARTS = "0123456789" + CN_SMALL + "百"


def start_words() -> list[str]:
    """The words other than numerals a date can start with (今年, 上週, 民國, 中秋節), as
    far as their first two characters: the scan tries a date only where a numeral or one
    of these pairs starts."""
    weekly = ["週", "周", "星期", "禮拜", "礼拜", "個", "个"]
    words = [*relative_words(), *date_words("century"), *day_parts(), *festivals()]
    words += [*reign_eras(), *LUNAR_MARKS, "大年", "民國", "民国", "上半", "下半"]
    words += ["星期", "禮拜", "礼拜", "公元", "西元", "紀元", "纪元"]
    words += [f"{word}{bracket}" for word in "今本昨明去" for bracket in "(（"]  # 今(5)日
    words += [f"{week}{day}" for week in "週周" for day in "一二三四五六日天"]
    words += [f"{month}月" for month in [*LUNAR_MONTHS, "閏", "闰"]]
    words += [shift + unit for shift in [*date_offsets("week"), "個", "个"] for unit in weekly]
    return [word for word in words if len(word) >= 2 and word[0] not in NUMERAL_STARTS]


def _start_pairs() -> str:
    """`c[xy]` per first character c of the start words, its second characters in []."""
    seconds: dict[str, set[str]] = {}
    for word in start_words():
        seconds.setdefault(word[0], set()).add(word[1])
    firsts = re.escape("".join(sorted(seconds)))
    pairs = "|".join(
        f"{re.escape(first)}[{re.escape(''.join(sorted(rest)))}]"
        for first, rest in sorted(seconds.items())
    )
    return f"(?=[{firsts}])(?:{pairs})"


@cache
def date_regex(prefilter: bool = True) -> re.Pattern[str]:
    """The date pattern; `prefilter` (the default) adds the first-character lookahead,
    which never changes what matches (tests compare the two)."""
    relative_years = [word for word, (unit, _) in relative_words().items() if unit == "year"]
    relative_others = [word for word, (unit, _) in relative_words().items() if unit != "year"]
    month = rf"(?:1[0-2]|0?[1-9]|十[一二]?|[{CN_DIGIT[3:]}])"
    day = rf"(?:3[01]|[12][0-9]|0?[1-9]|[二三]?十[{CN_DIGIT[3:]}]?|廿[{CN_DIGIT[3:]}]?|三十一|[{CN_DIGIT[3:]}])"
    time = _time_pattern()
    part = _alternation(list(date_words("month_part")))  # 上旬, 月底
    lunar_day = (
        r"(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]|二十[一二三四五六七八九]?|三十|十[一二三四五六七八九]?)[日號号]?"
        r"|(?<![0-9])(?:30|[12][0-9]|0?[1-9])[日號号]"
    )
    cn_month = "十[一二]?|[一二三四五六七八九]"
    # A numeral, or the first two characters of a date word (第3季, 年底, 上週, 中秋節).
    date_start = f"[{re.escape(NUMERAL_STARTS)}]|第[1-4一二三四]季|[年月][底初末]|{_start_pairs()}"
    # A bound word (自, 截至) counts only where a date starts right after it.
    prefix_chars = re.escape("".join(sorted({word[0] for word in date_words("mod_prefix")})))
    prefix = f"(?P<pre>{_mod_pattern('mod_prefix')})(?={date_start})"
    prefix_ends = re.escape("".join(sorted({word[-1] for word in date_words("mod_prefix")})))
    starts = f"{date_start}|[{prefix_chars}]"
    # No date starts inside a run of Arabic digits: every digit-led branch has (?<![0-9]).
    lookahead = f"(?={starts})(?:(?<![0-9])|(?![0-9]))" if prefilter else ""
    pattern = rf"""
        {lookahead}
        (?:(?=[{prefix_chars}]){prefix})?
        (?:
          (?P<dmy>(?<![0-9./])(?P<da>[0-9]{{1,2}})(?P<dsep>[/-])(?P<db>[0-9]{{1,2}})(?P=dsep)
              (?P<dy>(?:1[5-9]|2[01])[0-9]{{2}})(?![0-9./-]))
        | (?P<numeric>(?<![0-9.])(?P<ny>[0-9]{{4}}|[0-9]{{2,3}}(?=/[0-9]{{1,2}}/[0-9])|1[0-9]{{2}}(?=[.-]))(?P<sep>[/.-])(?P<nm>[0-9]{{1,2}})
              (?:(?P=sep)(?P<nd>[0-9]{{1,2}}))?(?![0-9/-]))
        | (?P<slash>(?<![0-9./／\-−負负又])(?<![0-9]\x20)(?P<sm>1[0-2]|0?[1-9])/(?P<sd>3[01]|[12][0-9]|0?[1-9])(?![0-9./／]))
        | (?P<reld>[今本昨明])[(（](?P<rday>[0-9]{{1,2}})[)）]日
        | (?P<wshift>{_alternation(list(date_offsets("week")))})?[個个]?(?:週|周|星期|禮拜|礼拜)(?P<wday>[一二三四五六日天])
        | (?P<wrel>{_alternation(list(date_offsets("week")))})[個个]?(?:週|周|星期|禮拜|礼拜)(?![一二三四五六日天末])
        | (?P<crel>{_alternation(list(date_words("century")))})?
          (?:(?P<decade>(?<![0-9])(?:1[5-9]|20)[0-9]0|(?<![0-9])[0-9]0|[一二三四五六七八九]十)年代
            | (?P<century>(?<![0-9])[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})世[紀纪])
        | (?P<crel_alone>{_alternation(list(date_words("century")))})
        | (?<![0-9])(?![0零〇○])(?P<ago_n>[0-9]{{1,3}}|[{CN_SMALL}]{{1,3}})(?P<ago_unit>{_alternation(list(date_offsets("unit")))})
            (?P<ago_dir>{_alternation(list(date_offsets("direction")))})
        | (?:{_guarded(LUNAR_MARKS, "lmark")})?
          (?:
            (?:
              (?P<roc>民國|民国)(?P<rocy>[0-9]{{1,3}}|[{CN_SMALL}百]{{1,5}})年度?
            | [今明去][(（](?P<py>[0-9]{{4}})[)）]年度?
            | (?P<bce>(?:公元|西元|紀元|纪元)前)(?P<by>[0-9]{{1,4}}|[{CN_SMALL}百千]{{1,6}})年
            | (?<![0-9])(?P<y>(?:1[5-9]|2[01])[0-9]{{2}}|[0-9]{{4}}(?=年(?:1[0-2]|0?[1-9])月)|[{CN_DIGIT}]{{4}})年度?
            | (?<![0-9])(?P<zy>0[0-9]|[零〇○][〇零○一二三四五六七八九])年(?!代)
            | (?<![0-9])(?P<fy>[0-9]{{2,3}}(?=年度)|[0-9]{{3}}(?=年[0-9]{{1,2}}月))年度?
            | (?P<ry>{_alternation(relative_years)})
            | {_guarded(list(reign_eras()), "era")}(?P<eray>元|[0-9]{{1,2}}|[{CN_SMALL}百]{{1,4}})年
            )
            (?P<ypart>[底末初](?![0-9{CN_DIGIT}]))?
            (?:的?(?P<om>第(?P<omn>1[0-2]|0?[1-9]|{cn_month})[個个]月))?
          )?
          (?:
              (?P<quarter>第(?P<qn>[1-4一二三四])季度?)
            | (?P<yhalf>[上下])半年度?
            | {_guarded(list(festivals()), "fest")}
            | 大年(?P<bigday>初[一二三四五六七八九十]|三十|二十九|廿九)
            | {_guarded(list(LUNAR_MONTHS), "lm")}月(?P<lmd>{lunar_day})?
            | (?P<lleap>[閏闰])?(?<![0-9])(?P<m>{month})月份?
              (?:(?:(?=初)|(?(lmark)|(?(lleap)|(?!))))(?P<ld>{lunar_day})
                | (?P<d>{day})(?:[日號号]|{CN_DAY_END})|(?P<mpart>{part}))?
          )?
        | (?P<rel>{_alternation(relative_others)})(?:(?P<rd>{day})[日號号]|(?P<rpart>{part}))?
        | (?<![0-9{CN_SMALL}今去明前後后本上下個个])(?P<bpart>[年月](?:底|初|末))(?![0-9{CN_DIGIT}])
        | (?<![0-9月{CN_SMALL}])(?P<bd>3[01]|[12][0-9]|0?[1-9]|{CN_DAY_NUMBER})日(?![內内間间後后前以起遊游元圓圆幣币])
        )
        (?(pre)(?<![{prefix_ends}]))  # after a bound word, the date itself is not empty
        (?P<weekday>(?<=[日號号])(?:[，,]?\x20?[(（]?(?:星期|週|周|禮拜|礼拜)[一二三四五六日天][)）]?|[(（][一二三四五六日][)）]))?
        (?P<time>{time})?
        (?P<mod>(?:{_mod_pattern("mod")})(?![訴诉草飛飞火義义碼码跑點点身來来源因床]))?
    """
    return re.compile(pattern, re.VERBOSE)


def _time_pattern() -> str:
    hour = rf"(?:(?<![0-9])[0-9]{{1,2}}|[{CN_SMALL}]{{1,3}})"
    minute = rf"(?:[0-5]?[0-9]|[{CN_SMALL}]{{1,3}})"
    parts = _alternation(list(day_parts()))
    return (
        rf"(?:(?P<dp>{parts})?(?P<h>{hour})(?P<hmark>[時时點点])"
        rf"(?:(?P<mi>{minute})分|(?P<half>半))?(?!鐘|钟|[0-9])"
        rf"|(?P<dp2>{parts})(?P<h2>(?<![0-9])[0-9]{{1,2}}):(?P<mi2>[0-5][0-9]))"
    )


@dataclass
class _Context:
    given: dt.date | None  # the reference date, read through `reference`
    basis: str | None = None  # where it came from: "doc_date", "stated" or "text"
    year: int | None = None  # the last stated year (for 2月10日)
    month: int | None = None
    current_year: int | None = None  # what 今年 is, where the text says so: 今(2025)年
    used: str | None = None  # the basis the date being resolved drew on
    forward: bool = False  # the text around a bare day points forward (將於10日)
    date_like: bool = False  # the text around 3/5 says it is a date (於3/5起)
    given_time: dt.time | None = None  # the doc_date's time of day, where it has one

    @property
    def reference(self) -> dt.date | None:
        if self.given is not None:
            self.used = self.basis
        return self.given

    def earlier(self) -> tuple[int | None, int | None]:
        """The year and month of the last date the text stated (2月10日 takes them)."""
        if self.year is not None:
            self.used = TEXT_BASIS
        return self.year, self.month


# 今(2025)年, 明(2026)年度, 去(2024)年: the text says which year is the current one.
CURRENT_YEAR_STATED = re.compile(r"([今明去])[(（]([0-9]{4})[)）]年")
STATED_YEAR_OFFSET = {"今": 0, "明": 1, "去": -1}


def find_dates(
    text: str,
    blocked: Sequence[bool] | None = None,
    doc_date: dt.date | None = None,
    basis: str = "doc_date",
    doc_time: dt.time | None = None,
) -> list[dict[str, Any]]:
    """Date spans of `text`, resolved in reading order. `doc_date` is the reference date
    and `basis` says where it came from ("doc_date" or "stated"); without it, a date the
    text states after a label (發布日期：) is the reference, and without that, the latest
    full date the text states before a relative date (the news convention). Each date
    resolved against one of these says which in `basis`, or "text" when it took its year
    or month from an earlier date of the text. `doc_time`, the time of day of a doc_date
    given with one, resolves offsets in hours and minutes (2小時後); without it they are
    left to the figures as durations."""
    stated_year = CURRENT_YEAR_STATED.search(text)
    reference = doc_date or stated_date(text)
    context = _Context(
        given=reference,
        basis=(basis if doc_date else STATED_BASIS) if reference else None,
        given_time=doc_time if doc_date and basis == "doc_date" else None,
        current_year=(
            int(stated_year.group(2)) - STATED_YEAR_OFFSET[stated_year.group(1)]
            if stated_year
            else None
        ),
    )
    found = []
    comparisons = tuple(date_words("comparison"))
    forward_words = tuple(date_words("forward"))
    for match in date_regex().finditer(text):
        date_start = match.end("pre") if match.group("pre") else match.start()
        if not match.group() or text.startswith(not_dates(), date_start):
            continue
        if _overlaps(blocked, match.start(), match.end()) and not match.group("era"):
            continue  # an era (康熙三年) wins over the name the entities took it for
        anchor = context.year, context.month
        context.used = None
        context.forward = _points_forward(text, match.start(), match.end(), forward_words)
        if match.group("slash"):
            context.date_like = _date_like(text, match.start(), match.end())
        item = _resolve(match, context)
        if text.startswith(comparisons, match.end()):
            context.year, context.month = anchor  # 去年同期 is a comparison, not an anchor
        if item is None:
            continue
        if item.get("value") is not None and context.used:
            item["basis"] = context.used
        _take_as_reference(item, context)
        found.append({"text": match.group(), "start": match.start(), "end": match.end(), **item})
    return found


def _points_forward(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """將於10日, 10日將, 預計15日: the sentence speaks of days ahead."""
    before = text[max(0, start - FORWARD_REACH) : start]
    after = text[end : end + FORWARD_REACH]
    return any(word in before or word in after for word in words)


def _date_like(text: str, start: int, end: int) -> bool:
    """於3/5起, 3/5(三), 12/25聖誕節, 12/24晚上: words around a month/day pair that make it
    a date (the slash words of date_words.tsv, a festival or a time of day after it)."""
    before, after = text[max(0, start - 2) : start], text[end : end + 6]
    after_words = (*date_words("slash_after"), *festivals(), *day_parts())
    return before.endswith(tuple(date_words("slash_before"))) or after.startswith(after_words)


def _take_as_reference(item: dict[str, Any], context: _Context) -> None:
    """With no doc_date and no stated date, a full date the text states is the
    reference for the relative dates after it, until the next one."""
    value = item.get("value")
    if context.basis not in (None, TEXT_BASIS) or context.used or not value:
        return
    if len(value) >= 10 and value[4] == "-":
        context.given, context.basis = dt.date.fromisoformat(value[:10]), TEXT_BASIS


def stated_date(text: str) -> dt.date | None:
    """A date the document gives itself, after a label such as 發布日期：."""
    labels = _alternation(reference_labels())
    for label in re.finditer(rf"(?:{labels})\s*[:：]\s*", text):
        match = date_regex().match(text, label.end())
        if match is None or not match.group():
            continue
        item = _resolve(match, _Context(given=None))
        value = item.get("value") if item else None
        if value and len(value) >= 10:
            return dt.date.fromisoformat(value[:10])
    return None


def _overlaps(blocked: Sequence[bool] | None, start: int, end: int) -> bool:
    return blocked is not None and any(blocked[start:end])


def _resolve(match: re.Match[str], context: _Context) -> dict[str, Any] | None:
    item = _resolve_date(match.groupdict(), context)
    mod, prefix = match.group("mod"), match.group("pre")
    if item is not None and (mod or prefix):
        item["mod"] = date_words("mod")[mod] if mod else date_words("mod_prefix")[prefix]
    return item


def _resolve_date(groups: dict[str, Any], context: _Context) -> dict[str, Any] | None:
    if groups["decade"] or groups["century"] or groups["crel_alone"]:
        return _resolve_era(groups, context)
    if groups["dmy"]:
        return _resolve_day_month_year(groups, context)
    if groups["numeric"]:
        return _resolve_numeric(groups, context)
    if groups["slash"]:
        return _resolve_slash(groups, context)
    if groups["reld"]:
        return _resolve_relative_day(groups, context)
    if groups["wday"]:
        return _with_time(_resolve_weekday(groups, context), groups, context)
    if groups["wrel"]:
        return _resolve_week(groups["wrel"], context)
    if groups["bpart"]:
        return _resolve_bare_part(groups["bpart"], context)
    if groups["ago_n"]:
        return _resolve_ago(groups, context)
    if groups["rel"]:
        item = _resolve_relative(groups["rel"], context, groups["rd"])
        if groups["rpart"] and item.get("value") and len(item["value"]) == 7:
            return _month_part(item["value"], groups["rpart"])
        return _with_time(item, groups, context)
    if groups["bd"]:
        bare_day = _small_number(groups["bd"])
        return _with_time(_resolve_bare_day(bare_day, context), groups, context)
    if groups["bce"]:
        return {"value": None, "reason": "a year before the common era"}
    has_year = any(groups[name] for name in ("rocy", "py", "y", "zy", "fy", "ry", "era"))
    if groups["quarter"] or groups["yhalf"]:
        return _resolve_period(groups, context)
    lunar_month = groups["m"] and (groups["ld"] or groups["lmark"] or groups["lleap"])
    if groups["fest"] or groups["bigday"] or groups["lm"] or lunar_month:
        lunar = _resolve_lunar(groups, context, has_year)
        return _with_time(lunar, groups, context) if lunar is not None else None
    if groups["lmark"] and not groups["m"]:
        return None  # 農曆年, 農曆2025年: the lunar year is no Gregorian period
    if groups["om"]:
        return _resolve_ordinal_month(groups, context)
    if not has_year and not groups["m"]:
        if groups["dp"] in relative_words():  # 今晚6點
            item = _resolve_relative(groups["dp"], context, None)
            return _with_time(item, groups, context)
        return _resolve_time_only(groups, context)
    try:
        year, reason = _year(groups, context)
    except ValueError:
        return None
    month = _small_number(groups["m"]) if groups["m"] else None
    if month is None and groups["ypart"]:
        month = int(YEAR_PART_SUFFIX[groups["ypart"]])
    day = _small_number(groups["d"]) if groups["d"] else None
    if year is None:
        return {"value": None, "reason": reason}
    if groups["era"] and not year >= reign_eras()[groups["era"]][2] > 0:
        month = day = None  # 康熙三年五月, 明治3年: a lunar month; only the year is sure
    if not has_year and (month, day) == (2, 29):
        while year > MIN_YEAR and not calendar.isleap(year):
            year -= 1  # 2月29日 with no year: the latest leap year
    item = _date_value(year, month, day, context)
    if groups["mpart"] and item.get("value"):
        return _month_part(item["value"], groups["mpart"])
    return _with_time(item, groups, context)


def _year(groups: dict[str, Any], context: _Context) -> tuple[int | None, str]:
    if groups["rocy"]:
        return _small_number(groups["rocy"]) + ROC_OFFSET, ""
    if groups["fy"]:
        return int(groups["fy"]) + ROC_OFFSET, ""
    if groups["zy"]:
        return 2000 + _small_number(groups["zy"]), ""  # 08年, 零八年: 2008
    if groups["py"]:
        return int(groups["py"]), ""
    if groups["era"]:
        first, years, _ = reign_eras()[groups["era"]]
        number = 1 if groups["eray"] == "元" else _small_number(groups["eray"])
        if number < 1 or (years and number > years):
            return None, f"{groups['era']} has no year {number}"
        return first + number - 1, ""
    if groups["y"]:
        return int(parse_number(groups["y"])), ""
    if groups["ry"]:
        offset = relative_words()[groups["ry"]][1]
        if context.reference is not None:
            return context.reference.year + offset, ""
        if context.current_year is not None:
            context.used = TEXT_BASIS
            return context.current_year + offset, ""
        return None, "relative date with no reference date (no doc_date)"
    year, _ = context.earlier()
    if year is not None:
        return year, ""
    reference = context.reference
    if reference is not None:
        return reference.year, ""
    return None, "year not stated and no earlier date or doc_date"


def _small_number(numeral: str) -> int:
    return int(parse_number(numeral))


def _date_value(year: int, month: int | None, day: int | None, context: _Context) -> dict[str, Any]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return {"value": None, "reason": f"year {year} out of range"}
    if month is not None and not 1 <= month <= 12:
        return {"value": None, "reason": f"no month {month}"}
    if day is not None and (month is None or day > calendar.monthrange(year, month)[1] or day < 1):
        return {"value": None, "reason": f"no day {day} in {year}-{month}"}
    context.year, context.month = year, month
    value = f"{year:04d}"
    if month is not None:
        value += f"-{month:02d}"
    if day is not None:
        value += f"-{day:02d}"
    return {"value": value}


def _moved(reference: dt.date, days: int) -> dt.date | None:
    """`reference` moved by `days`, or None past the years a date can hold (9999-12-31)."""
    try:
        return reference + dt.timedelta(days=days)
    except OverflowError:
        return None


def _day_value(day: dt.date | None, context: _Context) -> dict[str, Any]:
    if day is None:
        return dict(OUT_OF_RANGE)
    return _date_value(day.year, day.month, day.day, context)


def _period(year: int, first_month: int, last_month: int) -> list[str]:
    """The first and last day of months `first_month`..`last_month` of `year`."""
    last_day = calendar.monthrange(year, last_month)[1]
    return [f"{year:04d}-{first_month:02d}-01", f"{year:04d}-{last_month:02d}-{last_day:02d}"]


def _resolve_period(groups: dict[str, Any], context: _Context) -> dict[str, Any] | None:
    """2025年第3季 is 2025-Q3, 上半年 the first half (H1) of the year in question."""
    try:
        year, reason = _year(groups, context)
    except ValueError:
        return None
    if year is None:
        return {"value": None, "reason": reason}
    if not MIN_YEAR <= year <= MAX_YEAR:
        return {"value": None, "reason": f"year {year} out of range"}
    context.year, context.month = year, None
    if groups["quarter"]:
        quarter = _small_number(groups["qn"])
        months = (3 * quarter - 2, 3 * quarter)
        return {"value": f"{year:04d}-Q{quarter}", "range": _period(year, *months)}
    half = 1 if groups["yhalf"] == "上" else 2
    return {"value": f"{year:04d}-H{half}", "range": _period(year, 6 * half - 5, 6 * half)}


def _resolve_ordinal_month(groups: dict[str, Any], context: _Context) -> dict[str, Any] | None:
    """2021年的第三個月 is 2021-03; 第三個月 with no year is a count (上任第三個月)."""
    year, reason = _year(groups, context)
    if year is None:
        return {"value": None, "reason": reason}
    return _date_value(year, _small_number(groups["omn"]), None, context)


def _resolve_lunar(
    groups: dict[str, Any], context: _Context, has_year: bool
) -> dict[str, Any] | None:
    """農曆八月十五, 正月初一, 大年初一, 除夕, 中秋節 and the Gregorian holidays (元旦) as
    Gregorian dates, through the lunar table. A lunar month-day with a year stated is of
    that lunar year; otherwise, and for festivals, it is the one falling in the Gregorian
    year stated or implied (除夕 of 2026 is 2026-02-16, of lunar year 2025)."""
    leap = bool(groups["lleap"])
    if groups["fest"]:
        calendar_name, month, day = festivals()[groups["fest"]]
        lunar = calendar_name == "lunar"
    elif groups["bigday"]:
        lunar, month = True, 1 if groups["bigday"].startswith("初") else 12
        day = _small_number(groups["bigday"][1:]) if month == 1 else None
    else:
        lunar = True
        month = LUNAR_MONTHS[groups["lm"]] if groups["lm"] else _small_number(groups["m"])
        day_text = groups["lmd"] or groups["ld"]
        if day_text is None and not (groups["lmark"] or has_year):
            return None  # 正月 alone may be part of a name; 農曆正月 and 今年臘月 are dates
        day = _lunar_day(day_text) if day_text else None
    try:
        year, reason = _year(groups, context)
    except ValueError:
        return None
    if year is None:
        return {"value": None, "reason": reason}
    if not lunar:
        return _date_value(year, month, day, context)
    if day is None and not (groups["fest"] or groups["bigday"]):
        return _lunar_month(year, month, leap, context)
    by_lunar_year = has_year and not (groups["fest"] or groups["bigday"])
    found = _lunar_in_year(year, month, day, leap, by_lunar_year)
    if found is None:
        return {"value": None, "reason": f"no lunar date {month}-{day} for {year} in the table"}
    return _day_value(found, context)


def _lunar_day(text: str) -> int:
    return _small_number(text.rstrip("日號号").removeprefix("初"))


def _lunar_date(year: int, month: int, day: int | None, leap: bool) -> tuple[dt.date, int] | None:
    """The Gregorian date of a lunar date (day None: the month's last day) and the
    length of its month, or None outside the table or the calendar."""
    info = lunar_years().get(year)
    if info is None:
        return None
    start, leap_month, lengths = info
    if leap and leap_month != month:
        return None
    index = month - 1 + (1 if leap_month and (month > leap_month or leap) else 0)
    length = lengths[index]
    day = length if day is None else day
    if not 1 <= day <= length:
        return None
    return start + dt.timedelta(days=sum(lengths[:index]) + day - 1), length


def _lunar_in_year(
    year: int, month: int, day: int | None, leap: bool, by_lunar_year: bool
) -> dt.date | None:
    if by_lunar_year:
        found = _lunar_date(year, month, day, leap)
        return found[0] if found else None
    for lunar_year in (year, year - 1):  # 臘月 and 除夕 of 2026 are of lunar year 2025
        found = _lunar_date(lunar_year, month, day, leap)
        if found and found[0].year == year:
            return found[0]
    return None


def _lunar_month(year: int, month: int, leap: bool, context: _Context) -> dict[str, Any]:
    """農曆正月 of 2026: the year, with the range of the month's days."""
    first = _lunar_date(year, month, 1, leap)
    if first is None:
        return {"value": None, "reason": f"no lunar month {month} for {year} in the table"}
    last = first[0] + dt.timedelta(days=first[1] - 1)
    context.year, context.month = year, None
    if first[0].year != last.year:
        return {"value": None, "reason": "a lunar month across two Gregorian years"}
    return {"value": f"{first[0].year:04d}", "range": [first[0].isoformat(), last.isoformat()]}


def _month_part(value: str, part: str) -> dict[str, Any]:
    """3月上旬 is 3月 with the range of days 1-10; 月底 is the last ten days."""
    year, month = int(value[:4]), int(value[5:7])
    first, last = (int(day) for day in date_words("month_part")[part].split("-"))
    last = min(last, calendar.monthrange(year, month)[1])
    return {"value": value, "range": [f"{value}-{first:02d}", f"{value}-{last:02d}"]}


def _resolve_bare_part(word: str, context: _Context) -> dict[str, Any]:
    """年底, 月初 with no year or month: those of the last date stated, else the reference's."""
    year, month = context.earlier()
    if year is None:
        reference = context.reference
        if reference is None:
            return {"value": None, "reason": "relative date with no reference date (no doc_date)"}
        year, month = reference.year, reference.month
    if word[0] == "年":
        return _date_value(year, int(YEAR_PART_SUFFIX[word[1]]), None, context)
    if month is None:
        return {"value": None, "reason": "month not stated and no earlier date or doc_date"}
    return _month_part(f"{year:04d}-{month:02d}", word[1])


def _resolve_week(word: str, context: _Context) -> dict[str, Any]:
    """上週 is the week (Monday first) before the reference date's: 2025-W10."""
    reference = context.reference
    if reference is None:
        return {"value": None, "reason": "relative date with no reference date (no doc_date)"}
    weeks = int(date_offsets("week")[word])
    monday = _moved(reference, 7 * weeks - reference.weekday())
    sunday = _moved(monday, 6) if monday else None
    if monday is None or sunday is None:
        return dict(OUT_OF_RANGE)
    iso_year, iso_week, _ = monday.isocalendar()
    value = f"{iso_year:04d}-W{iso_week:02d}"
    return {"value": value, "range": [monday.isoformat(), sunday.isoformat()]}


def _resolve_slash(groups: dict[str, Any], context: _Context) -> dict[str, Any] | None:
    """12/1 is a month and day where it cannot be a fraction (the month is the larger
    number: 12/1, 7/2) or where the text around it says it is a date (於3/5起, 12/25聖誕節,
    12/24晚上); 2/5 and 12/25 with nothing around them are fractions, read by the figures:
    a bare pair is also a made/attempted count in news (投12/25), so it is not guessed."""
    month, day = int(groups["sm"]), int(groups["sd"])
    if month <= day and not context.date_like:
        return None
    year, reason = _year(groups, context)
    if year is None:
        return {"value": None, "reason": reason}
    return _with_time(_date_value(year, month, day, context), groups, context)


def _resolve_day_month_year(groups: dict[str, Any], context: _Context) -> dict[str, Any] | None:
    """13/2/2020 (d/m/y) and 2/13/2020 (m/d/y), told apart by the number above 12; with
    both at most 12 (1/2/2020) the order cannot be told: value None with the reason."""
    first, second, year = int(groups["da"]), int(groups["db"]), int(groups["dy"])
    if first > 12 and second > 12:
        return None
    if first <= 12 and second <= 12 and first != second:
        return {"value": None, "reason": "day and month order cannot be told (d/m/y or m/d/y)"}
    month, day = (second, first) if first > 12 else (first, second)
    return _with_time(_date_value(year, month, day, context), groups, context)


def _resolve_numeric(groups: dict[str, Any], context: _Context) -> dict[str, Any] | None:
    year = int(groups["ny"])
    if groups["sep"] == "." and not groups["nd"]:
        return None  # 2010.5 is a decimal number
    if year < 1000:
        if not groups["nd"]:
            return None
        year += ROC_OFFSET
    month = int(groups["nm"])
    day = int(groups["nd"]) if groups["nd"] else None
    if not 1 <= month <= 12:
        return None
    return _with_time(_date_value(year, month, day, context), groups, context)


def _resolve_relative_day(groups: dict[str, Any], context: _Context) -> dict[str, Any]:
    if context.reference is None:
        return {"value": None, "reason": "relative date with no reference date (no doc_date)"}
    reference = context.reference
    return _with_time(
        _date_value(reference.year, reference.month, int(groups["rday"]), context), groups, context
    )


def _resolve_relative(word: str, context: _Context, day_text: str | None) -> dict[str, Any]:
    if context.reference is None:
        return {"value": None, "reason": "relative date with no reference date (no doc_date)"}
    unit, offset = relative_words()[word]
    reference = context.reference
    if unit == "day":
        return _day_value(_moved(reference, offset), context)
    months = reference.year * 12 + reference.month - 1 + offset
    day_of_month = _small_number(day_text) if day_text else None
    return _date_value(months // 12, months % 12 + 1, day_of_month, context)


def _resolve_weekday(groups: dict[str, Any], context: _Context) -> dict[str, Any]:
    """週三 is Wednesday of the reference week (Monday first); 上週三 a week before."""
    if context.reference is None:
        return {"value": None, "reason": "relative date with no reference date (no doc_date)"}
    weekday = WEEKDAYS.index(groups["wday"].replace("天", "日"))
    weeks = int(date_offsets("week").get(groups["wshift"] or "", "0"))
    reference = context.reference
    return _day_value(_moved(reference, weekday + 7 * weeks - reference.weekday()), context)


def _resolve_ago(groups: dict[str, Any], context: _Context) -> dict[str, Any] | None:
    """5年前, 3天後: the reference date moved by that much, to the precision said (5年前
    is a year, 3個月後 a month, 3天後 a day)."""
    try:
        amount = _small_number(groups["ago_n"]) * int(date_offsets("direction")[groups["ago_dir"]])
    except ValueError:
        return None
    unit = date_offsets("unit")[groups["ago_unit"]]
    if unit in ("hour", "minute"):
        return _moved_clock(amount, unit, context)
    if context.reference is None:
        return {"value": None, "reason": "relative date with no reference date (no doc_date)"}
    reference = context.reference
    if unit in ("day", "week"):
        return _day_value(_moved(reference, amount * (7 if unit == "week" else 1)), context)
    months = reference.year * 12 + reference.month - 1 + amount * (12 if unit == "year" else 1)
    year, month = months // 12, months % 12 + 1
    return _date_value(year, month if unit == "month" else None, None, context)


def _moved_clock(amount: int, unit: str, context: _Context) -> dict[str, Any] | None:
    """2小時後, 10分鐘前: the doc_date's time of day moved, to the minute (or second). With
    no time of day given this is no date: the figures read 2小時 as a duration."""
    if context.given_time is None or context.reference is None:
        return None
    start = dt.datetime.combine(context.reference, context.given_time)
    try:
        moment = start + dt.timedelta(**{f"{unit}s": amount})
    except OverflowError:
        return dict(OUT_OF_RANGE)
    context.year, context.month = moment.year, moment.month
    clock = moment.strftime("%H:%M:%S" if moment.second else "%H:%M")
    return {"value": f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{clock}"}


def _resolve_era(groups: dict[str, Any], context: _Context) -> dict[str, Any]:
    """1990年代 -> 199X, 20世紀 -> 19XX, 上世紀 -> the century before the reference date's
    (EDTF: X marks the digits left open)."""
    reference_year = context.reference.year if context.reference else context.current_year
    shift = groups["crel"] or groups["crel_alone"]
    century: int | None = None  # as the first two digits: 19 for the 1900s
    if shift:
        if reference_year is None:
            return {"value": None, "reason": "relative date with no reference date (no doc_date)"}
        century = reference_year // 100 + int(date_words("century")[shift])
    if groups["century"]:
        century = _small_number(groups["century"]) - 1
    if century is not None and not 0 <= century <= MAX_YEAR // 100:
        return {"value": None, "reason": f"no century {century + 1} in the common era"}
    if not groups["decade"]:
        return {"value": f"{century:02d}XX"}
    decade = _small_number(groups["decade"])
    if decade >= 100:
        return {"value": f"{decade // 10:03d}X"}
    if century is None:  # 90年代: the latest such decade not after the reference year
        latest = reference_year if reference_year is not None else 1999
        century = latest // 100 if latest % 100 >= decade else latest // 100 - 1
        if century < 0:
            return {"value": None, "reason": "no such decade in the common era"}
    return {"value": f"{century * 10 + decade // 10:03d}X"}


def _resolve_bare_day(day: int, context: _Context) -> dict[str, Any]:
    """29日: the day in the month last mentioned, else by the news convention: the latest
    such day on or before the reference date, unless the text points forward (將於10日),
    then the next one on or after it."""
    year, month = context.earlier()
    if year is not None and month is not None:
        return _date_value(year, month, day, context)
    reference = context.reference
    if reference is not None:
        months = reference.year * 12 + reference.month - 1
        step = 1 if context.forward else -1
        if day > reference.day and not context.forward:
            months -= 1
        elif day < reference.day and context.forward:
            months += 1
        # 29日 before 2018-03-22 is 2018-01-29: a month without that day is passed over
        # (at most two months in a row: February, then a 30-day month for 31日).
        for _ in range(3):
            year, month = months // 12, months % 12 + 1
            if not MIN_YEAR <= year <= MAX_YEAR or day <= calendar.monthrange(year, month)[1]:
                break
            months += step
        return _date_value(months // 12, months % 12 + 1, day, context)
    return {"value": None, "reason": "month not stated and no earlier date or doc_date"}


def _with_time(item: dict[str, Any], groups: dict[str, Any], context: _Context) -> dict[str, Any]:
    clock = _clock(groups)
    if clock is None or item.get("value") is None:
        return item
    if clock == NO_SUCH_TIME:
        return {"value": None, "reason": "no such time of day"}
    if len(item["value"]) < 10:
        return {"value": None, "reason": "time of day on a date without a day"}
    return {"value": f"{item['value']}T{clock}"}


def _resolve_time_only(groups: dict[str, Any], context: _Context) -> dict[str, Any] | None:
    clock = _clock(groups)
    if clock is None:
        return None
    explicit = groups["dp"] or groups["dp2"] or groups["mi"] or groups["half"]
    if not explicit and not (groups["h"].isdigit() and groups["hmark"] in ("時", "时")):
        return None  # 3點 may be "three points", 一時 "for a while"
    if clock == NO_SUCH_TIME:
        return {"value": None, "reason": "no such time of day"}
    return {"value": None, "reason": "time of day without a date"}


def _clock(groups: dict[str, Any]) -> str | None:
    """HH:MM, None when no time is given, NO_SUCH_TIME for 上午25時."""
    if groups.get("h2"):
        hour, minute, part = int(groups["h2"]), int(groups["mi2"]), groups["dp2"]
    elif groups.get("h"):
        try:
            hour = _small_number(groups["h"])
            minute = _small_number(groups["mi"]) if groups["mi"] else (30 if groups["half"] else 0)
        except ValueError:
            return None
        part = groups["dp"] or (groups["rel"] if groups["rel"] in day_parts() else None)
    else:
        return None
    if part and hour < 12:
        hour += day_parts()[part]
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return NO_SUCH_TIME
    return f"{hour % 24:02d}:{minute:02d}"
