"""Candidate entity spans from the gazetteer and from patterns.

Every finder returns `Candidate`s that may overlap; `zhextract.stages.entities` picks
a non-overlapping set. jieba's word boundaries and POS tags are used only as weak
evidence (a name must not start or end inside a word; a proper-noun tag supports a
guessed name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from ...data import surnames
from .gazetteer import TITLE_LABEL, Gazetteer, Suffix, suffixes, word_set

PROPER_POS = ("nr", "ns", "nt", "nz", "eng")
# POS tags allowed inside the descriptive middle of a composed name (臺北 醫學 大學).
NOUN_POS = ("n", "nz", "nt", "ns", "nr", "j", "eng", "b", "l")
QUOTED = re.compile(r"([「『“《])([^「」『』“”《》\n，。、：；！？,;:!?]{2,24})([」』”》])")
LATIN_GLOSS = re.compile(r"[(（]\s*([A-Za-z][A-Za-z0-9 .,'’&\-]*[A-Za-z0-9.])\s*[)）]")
# A quoted phrase with one of these characters is a clause, not a name.
CLAUSE_CHARS = frozenset("的了著是在把被我你他她這那嗎呢吧")
CLOSING_QUOTES = "」』”"
ADMINISTRATIVE_ENDS = "市縣州省區鎮鄉郡都府"
DISTRICT_ENDS = "區鄉鎮村里"  # units below a city: 臺北市信義區, 碑記鎮
NAME_OF_DISTRICT_POS = ("n", "ns", "nr", "nz")
MAX_TITLE = 4
MAX_GUESSED_NAME = 4
MAX_CHAIN_CHARS = 8  # 台灣半導體產業 + 協會: how far a name reaches before its ending
CHAIN_POS = ("n", "x", "j", "eng", "vn", "l")  # n covers nr, ns, nt, nz
ORG_KINDS = ("org", "company")  # suffix kinds that compose organization names
# Suffix kinds the general composition leaves alone: too common (會), or read by their
# own rules (證券 in stages.entities.shapes; 汽車 only splits a place from a business).
UNCOMPOSED_KINDS = ("orgword", "finance", "brand")


class Candidate(NamedTuple):
    start: int
    end: int
    label: str
    source: str


@dataclass
class TextView:
    """The text with its jieba words indexed by character."""

    text: str
    tokens: Sequence[tuple[int, int, str]]
    starts: set[int] = field(default_factory=set)
    ends: set[int] = field(default_factory=set)
    pos_at: list[str] = field(default_factory=list)
    token_at: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.tokens:
            # Without words every position counts as a word boundary.
            self.starts = set(range(len(self.text) + 1))
            self.ends = set(self.starts)
        self.pos_at = [""] * len(self.text)
        self.token_at = [-1] * len(self.text)
        self.starts.update(token[0] for token in self.tokens)
        self.ends.update(token[1] for token in self.tokens)
        pos_at, token_at, length = self.pos_at, self.token_at, len(self.text)
        for index, (start, end, pos) in enumerate(self.tokens):
            if end - start == 1 and end <= length:  # most words: no slices to build
                pos_at[start] = pos
                token_at[start] = index
                continue
            stop = min(end, length)
            pos_at[start:stop] = [pos] * (stop - start)
            token_at[start:stop] = [index] * (stop - start)

    def token_ending_at(self, end: int) -> tuple[int, int, str] | None:
        if end <= 0 or end > len(self.text) or self.token_at[end - 1] < 0:
            return None
        token = self.tokens[self.token_at[end - 1]]
        return token if token[1] == end else None


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def is_latin_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


@cache
def titles() -> frozenset[str]:
    return word_set("titles.txt")


def starts_with_surname(name: str) -> bool:
    """A Chinese surname, or a Korean one (朴, 權) before a two-character given name."""
    if name[:1] in surnames() or name[:2] in surnames():
        return True
    korean = word_set("korean_surnames.txt")
    return (name[:1] in korean and len(name) == 3) or (name[:2] in korean and len(name) == 4)


# --- gazetteer -------------------------------------------------------------------


def gazetteer_candidates(view: TextView, names: Gazetteer) -> list[Candidate]:
    """The longest gazetteer name at every position, plus Country + 人 nationalities."""
    text = view.text
    found = []
    for start in names.possible_starts(text):
        hit = names.longest_at(text, start)
        if hit is None:
            continue
        end, label = hit
        if label == TITLE_LABEL and _title_cut_by_a_word(view, end):
            # 財政部長期, 內政部長官: the title's last character starts a common word,
            # so the shorter organization name is what the text says.
            end, label = _shorter_name(names, text, start, end) or (end, label)
        if not _fits_word_boundaries(view, start, end):
            continue
        found.append(Candidate(start, end, label, "gazetteer"))
        if label in ("GPE", "LOC") and _is_nationality(text, end):
            found.append(Candidate(start, end + 1, "NORP", "pattern"))
    return found


def _title_cut_by_a_word(view: TextView, end: int) -> bool:
    """長期 in 財政部長期: a known word (not an unknown or a name: 長顧 in 國防部長顧立雄)
    starts at the title's last character and runs past it."""
    index = view.token_at[end - 1] if end <= len(view.text) else -1
    if index < 0:
        return False
    start, token_end, pos = view.tokens[index]
    return start == end - 1 and token_end > end and not pos.startswith(("x", "nr", "eng"))


def _shorter_name(names: Gazetteer, text: str, start: int, end: int) -> tuple[int, str] | None:
    """The longest name at `start` that is shorter than `end` and is no title."""
    for shorter in range(end - 1, start + 1, -1):
        label = names.label(text[start:shorter])
        if label is not None and label != "TITLE":
            return shorter, label
    return None


def _fits_word_boundaries(view: TextView, start: int, end: int) -> bool:
    text = view.text
    if is_latin_word_char(text[start]) and start > 0 and is_latin_word_char(text[start - 1]):
        return False
    if is_latin_word_char(text[end - 1]) and end < len(text) and is_latin_word_char(text[end]):
        return False
    # A two-character name must line up with jieba on at least one side (沿海地區 has
    # no 海地 in it).
    if end - start == 2 and is_cjk(text[start]):
        return start in view.starts or end in view.ends
    return True


def _is_nationality(text: str, end: int) -> bool:
    if end >= len(text) or text[end] != "人":
        return False
    return end + 1 >= len(text) or text[end + 1] not in word_set("norp_blockers.txt")


# --- quoted names ----------------------------------------------------------------


def quoted_candidates(view: TextView, names: Gazetteer) -> list[Candidate]:
    """「日本製鐵公司」 → ORG, 《美日安保條約》 → LAW, 「川石峰會」 → EVENT, 《X》 → WORK_OF_ART."""
    found = []
    for match in QUOTED.finditer(view.text):
        inner = match.group(2)
        start, end = match.start(2), match.end(2)
        if inner != inner.strip():
            continue
        label = _quoted_label(inner, names, book=match.group(1) == "《")
        if label is None and _event_word_follows(view.text, match.end()):
            label = "EVENT"  # 「漢光41號」演習
        if label is not None:
            found.append(Candidate(start, end, label, "pattern"))
    return found


def _event_word_follows(text: str, position: int) -> bool:
    return any(
        text.startswith(word, position) and suffix.kind == "event"
        for word, suffix in suffixes().items()
    )


def _quoted_label(inner: str, names: Gazetteer, book: bool) -> str | None:
    known = names.label(inner)
    if known is not None:
        return None if known == "TITLE" else known
    if CLAUSE_CHARS.intersection(inner):
        return None
    suffix = longest_suffix(inner)
    # 「座談會」 is no organization: one-character name words are too common in quotes.
    too_common = suffix is not None and suffix.kind == "orgword" and len(suffix.text) == 1
    if suffix is not None and not too_common and len(inner) >= len(suffix.text) + 2:
        return suffix.label
    return "WORK_OF_ART" if book else None


def longest_suffix(name: str) -> Suffix | None:
    table = suffixes()
    for length in range(min(len(name) - 1, 5), 0, -1):
        suffix = table.get(name[-length:])
        if suffix is not None:
            return suffix
    return None


# --- title + name ----------------------------------------------------------------


def title_person_candidates(view: TextView, names: Gazetteer) -> list[Candidate]:
    """The name after a title: 司長劉勁松 → 劉勁松, 首席公使橫地晃 → 橫地晃."""
    text = view.text
    found = []
    last_chars = _last_chars(titles())
    for title_end in range(1, len(text)):
        # Most positions: no title ends with this character. And the title must end a
        # word: 記者會上 has no title 記者.
        if text[title_end - 1] not in last_chars or title_end not in view.ends:
            continue
        if not _title_ends_at(text, title_end):
            continue
        if names.longest_at(text, title_end) is not None:
            continue  # a known name (or organization) follows; the gazetteer has it
        name_end = _guess_name_end(view, title_end)
        if name_end is not None:
            found.append(Candidate(title_end, name_end, "PERSON", "pattern"))
    return found


@cache
def _title_after_name_regex() -> re.Pattern[str]:
    """Where a title that may follow a name starts (a zero-width match at each)."""
    words = sorted(titles() | word_set("titles_after.txt"), key=len, reverse=True)
    return re.compile("(?=" + "|".join(map(re.escape, words)) + ")")


def name_before_title_candidates(view: TextView) -> list[Candidate]:
    """The name before a title: 賴清德總統, 喬治王子 (a word jieba tags as a person name,
    or a transliteration, written right before the title)."""
    found = []
    for title in _title_after_name_regex().finditer(view.text):
        title_start = title.start()
        if title_start not in view.starts:
            continue
        token = view.token_ending_at(title_start)
        if token is None or not 2 <= token[1] - token[0] <= MAX_GUESSED_NAME:
            continue
        word = view.text[token[0] : token[1]]
        foreign = all(char in transliteration_chars() for char in word)
        if all(map(is_cjk, word)) and (token[2].startswith("nr") or foreign):
            found.append(Candidate(token[0], token[1], "PERSON", "pattern"))
    return found


def _title_ends_at(text: str, end: int) -> bool:
    return any(text[end - length : end] in titles() for length in range(1, min(MAX_TITLE, end) + 1))


@cache
def _last_chars(words: frozenset[str]) -> frozenset[str]:
    return frozenset(word[-1] for word in words)


@cache
def _suffix_last_chars() -> frozenset[str]:
    return _last_chars(frozenset(suffixes()))


@cache
def _longest_suffix() -> int:
    return max(map(len, suffixes()))


def _guess_name_end(view: TextView, start: int) -> int | None:
    text = view.text
    if _name_stop_at(text, start):
        return None
    run_end = start
    while run_end < len(text) and run_end - start < MAX_GUESSED_NAME and is_cjk(text[run_end]):
        run_end += 1
    run = text[start:run_end]
    if len(run) < 2:
        return None
    if starts_with_surname(run):
        length = _chinese_name_length(view, start, run)
        return None if _is_common_word(view, start, start + length) else start + length
    # Three characters closed off by punctuation (首席公使橫地晃，) are taken for a name.
    closed = run_end == len(text) or not is_cjk(text[run_end])
    if closed and len(run) == 3:
        return run_end
    first = view.tokens[view.token_at[start]] if view.token_at[start] >= 0 else None
    if first is not None and first[0] == start and first[2].startswith("nr"):
        return first[1] if first[1] - start >= 2 else None
    return None


def _chinese_name_length(view: TextView, start: int, run: str) -> int:
    """3 (劉大同約見), or 2 where jieba ends the name before a function word (李明和)."""
    if len(run) == 2:
        return 2
    third = start + 2
    if third in view.starts and _name_stop_at(view.text, third):
        return 2
    return 3


def _is_common_word(view: TextView, start: int, end: int) -> bool:
    """時代 after 總統: jieba reads the whole span as one word that is not a name."""
    token = view.token_ending_at(end)
    return token is not None and token[0] == start and not token[2].startswith("nr")


def _name_stop_at(text: str, position: int) -> bool:
    return any(text.startswith(stop, position) for stop in word_set("name_stops.txt"))


# --- names ending in a suffix ----------------------------------------------------


def suffix_candidates(view: TextView, strong: list[Candidate]) -> list[Candidate]:
    """Names made of a proper head and a suffix: 北約峰會, 臺北醫學大學, 普天間基地."""
    ends_at: dict[int, list[Candidate]] = {}
    for candidate in strong:
        if candidate.label in ("GPE", "LOC", "ORG", "PERSON", "FAC"):
            ends_at.setdefault(candidate.end, []).append(candidate)
    found: list[Candidate] = []
    text, last_chars = view.text, _suffix_last_chars()
    for end in sorted(view.ends):
        if not 0 < end <= len(text) or text[end - 1] not in last_chars:
            continue  # most words: no suffix ends with their last character
        for suffix_start, suffix in _suffixes_ending_at(text, end):
            if suffix.kind not in UNCOMPOSED_KINDS:
                found.extend(_composed(view, ends_at, suffix_start, end, suffix))
    return found


def _suffixes_ending_at(text: str, end: int) -> Iterator[tuple[int, Suffix]]:
    table = suffixes()
    for length in range(1, min(_longest_suffix(), end) + 1):
        suffix = table.get(text[end - length : end])
        if suffix is not None:
            yield end - length, suffix


def _composed(
    view: TextView,
    ends_at: dict[int, list[Candidate]],
    suffix_start: int,
    end: int,
    suffix: Suffix,
) -> Iterator[Candidate]:
    for head in ends_at.get(suffix_start, []):
        if suffix.kind == "language" and head.label not in ("GPE", "LOC"):
            continue
        start = _pair_start(view, ends_at, head) if suffix.kind == "event" else head.start
        yield Candidate(start, end, suffix.label, "pattern")
    if suffix.kind in ORG_KINDS and len(suffix.text) >= 2:
        yield from _with_descriptive_middle(view, ends_at, suffix_start, end, suffix)
        yield from _named_noun_chain(view, suffix_start, end, suffix)
    # A one-character organization or facility suffix after an unlisted word is too
    # often a common noun (冠軍, 郵政局).
    trusted = len(suffix.text) >= 2 or suffix.kind == "place"
    if suffix.kind in ("fac", "place", *ORG_KINDS):
        yield from _proper_token_heads(view, suffix_start, end, suffix, trusted)


def _pair_start(view: TextView, ends_at: dict[int, list[Candidate]], head: Candidate) -> int:
    """俄羅斯與烏克蘭戰爭: the event names both sides."""
    joint = head.start - 1
    if joint > 0 and view.text[joint] in "與和及":
        for first in ends_at.get(joint, []):
            if first.label == "GPE" and head.label == "GPE":
                return first.start
    return head.start


def _with_descriptive_middle(
    view: TextView,
    ends_at: dict[int, list[Candidate]],
    suffix_start: int,
    end: int,
    suffix: Suffix,
) -> Iterator[Candidate]:
    """臺北 + 醫學 + 大學, 日本 + 駐中國 + 大使館."""
    generic = word_set("generic_heads.txt")
    for middle_start in range(suffix_start - 1, max(suffix_start - 5, 0) - 1, -1):
        middle = view.text[middle_start:suffix_start]
        if not all(is_cjk(char) for char in middle):
            return
        if middle in generic or middle[-2:] in generic:
            continue
        if not _noun_like(view, middle_start, suffix_start):
            continue
        for head in ends_at.get(middle_start, []):
            if head.label in ("GPE", "LOC", "ORG"):
                yield Candidate(head.start, end, suffix.label, "pattern")


def _named_noun_chain(
    view: TextView, suffix_start: int, end: int, suffix: Suffix
) -> Iterator[Candidate]:
    """信昌 + 工程 + 有限公司, 台灣 + 人權 + 促進會: nouns back to a proper-name word."""
    index = view.token_at[suffix_start - 1] if suffix_start > 0 else -1
    first_proper: int | None = None
    position = suffix_start
    while index >= 0 and suffix_start - view.tokens[index][0] <= MAX_CHAIN_CHARS:
        start, token_end, pos = view.tokens[index]
        if token_end != position or not pos.startswith(CHAIN_POS):
            break
        if not all(map(str.isalnum, view.text[start:token_end])):
            break  # punctuation is tagged x too: 上市公司、上櫃公司 is no name
        word = view.text[start:token_end]
        if _proper_word(word, pos):
            first_proper = start
        position, index = start, index - 1
    if first_proper is not None:
        yield Candidate(first_proper, end, suffix.label, "pattern")


def _proper_word(word: str, pos: str) -> bool:
    """A jieba proper noun, or an unknown word of two or more Chinese characters."""
    if len(word) < 2 or word in word_set("generic_heads.txt"):
        return False
    if word.upper() in word_set("latin_non_org.txt"):
        return False  # AI集團 (AI blocs) is no organization
    if pos == "x":
        return all(map(is_cjk, word))
    return pos.startswith(PROPER_POS)


def _noun_like(view: TextView, start: int, end: int) -> bool:
    return all(
        view.text[offset] == "駐" or view.pos_at[offset].startswith(NOUN_POS)
        for offset in range(start, end)
    )


def _proper_token_heads(
    view: TextView, suffix_start: int, end: int, suffix: Suffix, trusted: bool
) -> Iterator[Candidate]:
    """普天間基地 (one proper-noun word), 嘉手納 + 基地, 名護市 (a place word).

    An untrusted (one-character) suffix needs jieba to call the whole word an
    organization (外交部亞洲司/nt)."""
    generic = word_set("generic_heads.txt")
    whole = view.token_ending_at(end)
    if whole is not None and whole[0] < suffix_start:
        head = view.text[whole[0] : suffix_start]
        place_word = suffix.text in ADMINISTRATIVE_ENDS and whole[2] == "n"
        proper = whole[2].startswith(PROPER_POS) or place_word
        proper = proper and (trusted or (whole[2] == "nt" and suffix.label == "ORG"))
        if proper and len(head) >= 2 and head not in generic and head[-1:] not in generic:
            yield Candidate(whole[0], end, suffix.label, "pattern")
    before = view.token_ending_at(suffix_start)
    if trusted and before is not None and before[2].startswith(PROPER_POS):
        head = view.text[before[0] : suffix_start]
        common = generic | word_set("latin_non_org.txt")
        if len(head) >= 2 and head.upper() not in common and not any(map(str.isspace, head)):
            yield Candidate(before[0], end, suffix.label, "pattern")


# --- other patterns --------------------------------------------------------------


def acronym_candidates(view: TextView) -> list[Candidate]:
    """CRTC, RSPB: an unlisted upper-case Latin acronym in Chinese text names an organization,
    unless it is a common term (AI, GDP, CEO)."""
    found = []
    for match in re.finditer(r"(?<![A-Za-z0-9])[A-Z]{3,6}(?![A-Za-z0-9])", view.text):
        if match.group() not in word_set("latin_non_org.txt"):
            found.append(Candidate(match.start(), match.end(), "ORG", "pattern"))
    return found


def pair_event_candidates(view: TextView) -> list[Candidate]:
    """以哈戰爭, 俄烏戰爭, 美中峰會: two country abbreviations and an event word."""
    letters = "".join(sorted(word_set("country_abbreviations.txt")))
    words = "|".join(sorted(word_set("pair_event_suffixes.txt"), key=len, reverse=True))
    pattern = re.compile(f"[{re.escape(letters)}]{{2}}(?:{words})")
    found = []
    for match in pattern.finditer(view.text):
        if match.start() in view.starts:
            found.append(Candidate(match.start(), match.end(), "EVENT", "pattern"))
    return found


def photo_credit_candidates(view: TextView) -> list[Candidate]:
    """圖片來源：美聯社、達志影像: photo credits name agencies."""
    labels = "|".join(sorted(word_set("photo_credit_labels.txt"), key=len, reverse=True))
    found = []
    for match in re.finditer(f"(?:{labels})[：:]([^\n。；;]*)", view.text):
        for item in re.finditer(r"[^、／/，,\s]+", match.group(1)):
            name = item.group()
            if 2 <= len(name) <= 8 and all(is_cjk(char) for char in name):
                start = match.start(1) + item.start()
                found.append(Candidate(start, start + len(name), "ORG", "pattern"))
    return found


def byline_candidates(view: TextView, paragraphs: Sequence[tuple[int, int]]) -> list[Candidate]:
    """A short name alone on a line near the top, followed by a line naming a post (a
    document of one line has no byline)."""
    found = []
    for index, (start, end) in enumerate(paragraphs[:6]):
        if index + 1 >= len(paragraphs):
            break
        name = view.text[start:end]
        if not 2 <= len(name) <= 4 or not all(is_cjk(char) for char in name):
            continue
        if not starts_with_surname(name):
            continue
        following = paragraphs[index + 1]
        next_line = view.text[following[0] : following[1]]
        if view.pos_at[start].startswith("nr") or any(title in next_line for title in titles()):
            found.append(Candidate(start, end, "PERSON", "pattern"))
    return found


@cache
def transliteration_chars() -> frozenset[str]:
    return word_set("transliteration_chars.txt")


# Separators between the parts of a transliterated name (after normalization the
# full-width ． is an ASCII period).
NAME_DOTS = "·‧・•．."
# A match may only start where a run of Han characters starts: tried inside a long run
# without dots, it would scan the rest of the run from every position (quadratic).
DOTTED = re.compile(
    r"(?<![\u4e00-\u9fff\u3400-\u4dbf])[\u4e00-\u9fff\u3400-\u4dbf]+"
    r"(?:[" + NAME_DOTS + r"][\u4e00-\u9fff\u3400-\u4dbf]+)+"
)
MAX_NAME_PART = 6
NUMERAL_CHARS = frozenset("〇零一二三四五六七八九十百")
# Tags of words that never continue a name (prepositions, conjunctions, particles...).
FUNCTION_POS = ("p", "c", "u", "d", "r", "y", "e", "o", "t", "q", "f", "v", "a", "l", "i")


def dotted_name_candidates(view: TextView) -> list[Candidate]:
    """克里斯多福‧諾蘭, 瑪麗．居禮, 馬丁·路德·金恩: name parts joined by a middle dot (or
    a period) of any kind. The first part reaches back, and the last part forward, over
    the words that can belong to a name (總統貝拉克 yields 貝拉克); 九·一八 is no name."""
    text = view.text
    found = []
    for match in DOTTED.finditer(text):
        dots = [at for at in range(match.start(), match.end()) if text[at] in NAME_DOTS]
        # Each dot's name reaches from the first part's start to the last part's end;
        # consecutive dots belong to one name when the part between them is all name
        # (斐迪南和瑪利亞 between two dots is not: two names).
        first: int | None = None  # index of the first dot of the name being read
        for index, dot in enumerate(dots):
            first = index if first is None else first
            last = index + 1 == len(dots)
            following = match.end() if last else dots[index + 1]
            end = _last_part_end(view, dot + 1, following)
            if end == following and not last:
                continue
            before = match.start() if first == 0 else dots[first - 1] + 1
            start = _first_part_start(view, before, dots[first])
            first = None
            if start is not None and end is not None:
                candidate = _dotted_name(text, start, end)
                if candidate is not None:
                    found.append(candidate)
    return found


def _dotted_name(text: str, start: int, end: int) -> Candidate | None:
    parts = re.split(f"[{re.escape(NAME_DOTS)}]", text[start:end])
    if any(len(part) > MAX_NAME_PART for part in parts) or max(map(len, parts)) < 2:
        return None
    if any(NUMERAL_CHARS.issuperset(part) for part in parts):
        return None  # 九·一八, 五·四: dates
    return Candidate(start, end, "PERSON", "pattern")


def _first_part_start(view: TextView, run_start: int, dot: int) -> int | None:
    """Where the name part before the first dot starts: the start of a word holding the
    dot (the segmenter joined the name), or the earliest of the name-like words that end
    at the dot."""
    index = view.token_at[dot]
    if index >= 0:
        token = view.tokens[index]
        if token[0] < dot < token[1] - 1 and run_start <= token[0] >= dot - MAX_NAME_PART:
            return token[0]
    start = dot
    while start > run_start and dot - start < MAX_NAME_PART:
        word = view.token_ending_at(start)
        if word is None:
            # No word ends here: the part goes back by transliteration characters.
            if view.text[start - 1] not in transliteration_chars():
                break
            start -= 1
            continue
        if word[0] < max(run_start, dot - MAX_NAME_PART):
            break
        if not _name_piece(view.text[word[0] : word[1]], word[2], start == dot):
            break
        start = word[0]
    return start if start < dot else None


def _last_part_end(view: TextView, after_dot: int, run_end: int) -> int | None:
    """Where the name part after the last dot ends (the mirror of `_first_part_start`)."""
    index = view.token_at[after_dot - 1]
    if index >= 0:
        token = view.tokens[index]
        if token[0] < after_dot - 1 < token[1] and token[1] - after_dot <= MAX_NAME_PART:
            return min(token[1], run_end)
    end = after_dot
    while end < run_end and end - after_dot < MAX_NAME_PART:
        index = view.token_at[end]
        token = view.tokens[index] if index >= 0 else (end, end + 1, "x")
        if token[1] > run_end or _name_stop_at(view.text, end):
            break
        word = view.text[token[0] : token[1]]
        if not _name_piece(word, token[2], end == after_dot):
            break
        if end > after_dot and not (
            token[2].startswith("nr") or all(char in transliteration_chars() for char in word)
        ):
            break  # 普魯申科 + 借居: past its first word the part goes on by name words only
        end = token[1]
    return end if end > after_dot else None


def _name_piece(word: str, pos: str, next_to_dot: bool) -> bool:
    """Whether a word can be (part of) a transliterated name part: a name or unknown
    word, one character of a transliteration, or, next to the dot, a word made of
    transliteration characters (not 哥哥: doubled characters make kinship words)."""
    if not all(map(is_cjk, word)):
        return False
    if len(word) == 2 and word[0] == word[1]:
        return False
    if pos.startswith(("nr", "x", "eng")):
        return True
    if len(word) == 1:
        return word in transliteration_chars() or not pos.startswith(FUNCTION_POS)
    foreign = all(char in transliteration_chars() for char in word)
    if pos.startswith(("ns", "nz", "j")):
        return foreign or next_to_dot
    return foreign and next_to_dot and not pos.startswith(FUNCTION_POS)


def subdivision_candidates(view: TextView, chosen: list[Candidate]) -> list[Candidate]:
    """名護市邊野古, 臺北市信義區: a place word, or a name and a district ending, right after
    a city or county is a place in it (愛國 in 自治區愛國主義 is not: a noun follows it)."""
    found = []
    for item in chosen:
        if item.label != "GPE" or view.text[item.end - 1] not in ADMINISTRATIVE_ENDS:
            continue
        if item.end not in view.starts or item.end >= len(view.text):
            continue
        index = view.token_at[item.end]
        district_end = _district_end(view, index)
        if district_end is not None:
            found.append(Candidate(item.end, district_end, "GPE", "pattern"))
        elif _place_word(view, index) and not _noun_follows(view, index):
            start, end, _ = view.tokens[index]
            found.append(Candidate(start, end, "GPE", "pattern"))
    return found


def _place_word(view: TextView, index: int) -> bool:
    start, end, pos = view.tokens[index]
    word = view.text[start:end]
    return 2 <= len(word) <= 4 and all(map(is_cjk, word)) and pos.startswith(PROPER_POS)


def _district_end(view: TextView, index: int) -> int | None:
    """信義 + 區, 中正區: a name word (not 各, 全, 東) ending in or followed by 區, 鄉, 鎮."""
    start, end, pos = view.tokens[index]
    word = view.text[start:end]
    if not all(map(is_cjk, word)) or not pos.startswith(NAME_OF_DISTRICT_POS):
        return None
    if len(word) >= 3 and word[-1] in DISTRICT_ENDS:
        return end
    after = view.tokens[index + 1] if index + 1 < len(view.tokens) else None
    short_name = 2 <= len(word) <= 3 and after is not None and after[0] == end
    if short_name and after is not None and view.text[after[0] : after[1]] in DISTRICT_ENDS:
        return after[1]
    return None


def _noun_follows(view: TextView, index: int) -> bool:
    if index + 1 >= len(view.tokens):
        return False
    after = view.tokens[index + 1]
    return after[0] == view.tokens[index][1] and after[2].startswith(("n", "vn"))


def jieba_candidates(view: TextView) -> list[Candidate]:
    """Weak guesses from jieba's tags: organizations (nt), three-character Chinese names
    and transliterated foreign names (nr)."""
    found = []
    for start, end, pos in view.tokens:
        if pos != "nt" and not pos.startswith("nr"):
            continue  # the cheap test first: most words are neither
        word = view.text[start:end]
        if not all(is_cjk(char) for char in word):
            continue
        if pos == "nt" and _looks_like_organization(word):
            found.append(Candidate(start, end, "ORG", "jieba"))
        elif pos.startswith("nr") and _looks_like_name(word):
            found.append(Candidate(start, end, "PERSON", "jieba"))
    return found


def _looks_like_organization(word: str) -> bool:
    """A jieba nt word that ends like an organization (中美關係 does not)."""
    suffix = longest_suffix(word)
    if suffix is None or suffix.label != "ORG" or len(word) < 4:
        return False
    return word[:2] not in word_set("generic_heads.txt")


def _looks_like_name(word: str) -> bool:
    if word[-1] in word_set("not_name_ends.txt"):
        return False  # 農糧署, 文湖線: a body or a line jieba took for a name
    if any(word.endswith(title) for title in word_set("titles_after.txt")):
        return False  # 王小姐: a surname and a form of address
    if len(word) == 3 and starts_with_surname(word) and word[0] not in word_set("name_stops.txt"):
        return True
    return len(word) >= 3 and all(char in transliteration_chars() for char in word)


def latin_gloss_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """(gloss start, gloss end, offset just before the bracket) for `名字(Latin Name)`."""
    for match in LATIN_GLOSS.finditer(text):
        before = match.start()
        if before > 0 and text[before - 1] in CLOSING_QUOTES:
            before -= 1
        yield match.start(1), match.end(1), before
