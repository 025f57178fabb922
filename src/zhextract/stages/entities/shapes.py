"""Candidates for classes of names that no list can hold, read from their shape.

Japanese names (a surname from a table + a given name) and Chinese names before a speech
verb, units under a named parent body (經濟部能源署) and bare agencies (農糧署), railway
lines (文湖線, 京滬高鐵), typhoons (颱風山陀兒), brokers and banks (元大投顧), short forms
defined in brackets (台灣積體電路製造公司（台積電）); and the boundary rules: a country or
city before a business is its own GPE (美國 + 蘋果公司), generic words (上市公司, 政府)
are no organization.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from .gazetteer import Gazetteer, read_lines, suffixes, word_set
from .patterns import (
    Candidate,
    TextView,
    is_cjk,
    longest_suffix,
    starts_with_surname,
    titles,
)

PROPER_OR_UNKNOWN = ("nr", "ns", "nz", "nt", "x", "j", "eng")
# Tags of words that cannot be part of a name (time, adverbs, pronouns, numerals...).
NOT_NAME_POS = ("t", "d", "p", "c", "u", "r", "m", "q", "f", "y", "e", "o")
MAX_GIVEN_NAME = 3
MAX_UNIT_MIDDLE = 8  # 經濟部 + 國際貿易 + 署: how far a unit's words reach
UNIT_MIDDLE_POS = ("n", "vn", "j", "x", "b", "l", "nz", "nt", "ns", "eng")
BUSINESS_KINDS = ("company", "finance", "brand")
PLACE_LABELS = ("GPE",)
OPEN_QUOTES, CLOSE_QUOTES = "「『“", "」』”"
SHORT_FORM = re.compile(r"[(（]([A-Za-z][A-Za-z0-9&\-]{1,9}|[\u4e00-\u9fff]{2,6})[)）]")
MAX_LONG_NAME = 20
LOCAL_UNIT_ENDS = "市縣省州區鄉鎮"


def _set(name: str) -> frozenset[str]:
    return word_set(name)


def _token(view: TextView, position: int) -> tuple[int, int, str] | None:
    if not 0 <= position < len(view.text) or view.token_at[position] < 0:
        return None
    return view.tokens[view.token_at[position]]


def _tokens_between(view: TextView, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    position = start
    while position < end:
        token = _token(view, position)
        if token is None:
            yield (position, position + 1, "x")
            position += 1
            continue
        yield token
        position = token[1]


def _words_at(text: str, position: int, words: frozenset[str]) -> bool:
    return any(text.startswith(word, position) for word in words)


@cache
def _context_after_name() -> frozenset[str]:
    """Words that, right after a name, say it is a person's: speech verbs and titles."""
    return _set("speech_verbs.txt") | titles() | _set("titles_after.txt")


# --- Japanese names --------------------------------------------------------------


def japanese_name_candidates(view: TextView) -> list[Candidate]:
    """岸田文雄, 高市早苗, 大谷翔平: a Japanese surname and a one- to three-character given
    name, where a title stands before it or a speech verb or title after it."""
    text = view.text
    surnames = _set("japanese_surnames.txt")
    found = []
    for start in range(len(text) - 2):
        for length in (3, 2):
            surname = text[start : start + length]
            if surname not in surnames:
                continue
            end = _given_name_end(view, start, start + length)
            if end is not None:
                found.append(Candidate(start, end, "PERSON", "pattern"))
            break
    return found


def _given_name_end(view: TextView, start: int, given: int) -> int | None:
    text = view.text
    if start not in view.starts and not _title_ends_at(text, start):
        return None
    titled = _title_ends_at(text, start)
    blocked = _set("not_given_name_chars.txt")
    for end in range(given + 1, min(given + MAX_GIVEN_NAME, len(text)) + 1):
        char = text[end - 1]
        # 也 ends given names (克也, 哲也), but starts none (大谷也表示).
        if not is_cjk(char) or (char in blocked and (char != "也" or end == given + 1)):
            return None
        token = _token(view, end - 1)
        if token is not None and not _given_name_word(view, token):
            return None
        if end not in view.ends:
            continue
        closed = end == len(text) or not is_cjk(text[end])
        context = _words_at(text, end, _context_after_name())
        if context or (titled and (closed or _words_at(text, end, _set("name_stops.txt")))):
            # The surname must end a word, or the word across its end be a name or an
            # unknown word (田/中美/穗 is a tokenizer slip; 高/市長 is a post).
            across = _token(view, given)
            if given in view.starts or across is None or across[2].startswith(PROPER_OR_UNKNOWN):
                return end
            return None
    return None


def _given_name_word(view: TextView, token: tuple[int, int, str]) -> bool:
    """A word that can stand in a Japanese given name: any single character but a
    function word (健/a, 一/m), or a longer word that is not a time word, adverb... (今天)."""
    if token[1] - token[0] == 1:
        return not token[2].startswith(("p", "c", "u", "y", "e"))
    return not token[2].startswith(NOT_NAME_POS)


def _title_ends_at(text: str, end: int) -> bool:
    return any(text[max(0, end - length) : end] in titles() for length in range(1, 6))


# --- Chinese names before a speech verb ------------------------------------------


def name_before_verb_candidates(view: TextView) -> list[Candidate]:
    """陳建民表示, 林小華指出: a surname and one or two more characters right before a
    speech verb, where jieba knows the string as no common word (王牌, 高層, 白宮 are)."""
    text = view.text
    verbs = _set("speech_verbs.txt")
    found = []
    for start, end, _ in view.tokens:
        if text[start:end] not in verbs:
            continue
        for length in (4, 3, 2):
            name_start = start - length
            if name_start < 0 or name_start not in view.starts:
                continue
            if _guessed_chinese_name(view, name_start, start):
                found.append(Candidate(name_start, start, "PERSON", "pattern"))
                break
    return found


def _guessed_chinese_name(view: TextView, start: int, end: int) -> bool:
    name = view.text[start:end]
    if not all(map(is_cjk, name)) or not starts_with_surname(name):
        return False
    if len(name) == 4 and name[:2] not in word_set("korean_surnames.txt"):
        from ...data import surnames

        if name[:2] not in surnames():
            return False  # four characters: only with a two-character surname
    surname_length = 2 if len(name) == 4 else 1
    if any(char in _set("not_given_name_chars.txt") for char in name[surname_length:]):
        return False
    if any(name.endswith(title) for title in titles() | _set("titles_after.txt")):
        return False  # 王小姐, 李董事長
    for token_start, token_end, pos in _tokens_between(view, start, end):
        if token_end > end:
            return False
        if pos.startswith(("nr", "x")):
            continue  # a name, or a word jieba does not know (權寧世/x)
        if token_end - token_start >= 2 or pos.startswith(NOT_NAME_POS):
            return False  # 王牌, 政府 in 蔡政府, 今 in 黃今
    return True


# --- units under a parent body, bare agencies ------------------------------------


@cache
def _unit_suffixes() -> tuple[str, ...]:
    return tuple(sorted(_set("unit_suffixes.txt"), key=len, reverse=True))


def unit_candidates(view: TextView, strong: list[Candidate]) -> list[Candidate]:
    """經濟部 + 能源署, 國立 + 政治大學 + 國際關係研究中心, 內政部警政署 + 刑事警察局: an
    organization (or a city's or country's name) followed by nouns ending in a unit word."""
    text = view.text
    found = []
    for parent in strong:
        if parent.label not in ("ORG", "GPE") or parent.end >= len(text):
            continue
        start = _with_public_prefix(view, parent.start)
        position = parent.end
        for token_start, token_end, pos in _tokens_between(view, parent.end, len(text)):
            if token_start != position or token_end - parent.end > MAX_UNIT_MIDDLE:
                break
            word = text[token_start:token_end]
            if not pos.startswith(UNIT_MIDDLE_POS + ("ng",)) or not word.isalnum():
                break
            position = token_end
            unit = _unit_ending(view, parent.end, token_start, token_end, pos, parent.label)
            if unit:
                found.append(Candidate(start, token_end, "ORG", "pattern"))
    return found


def _with_public_prefix(view: TextView, start: int) -> int:
    """國立 + 政治大學: a public-school prefix belongs to the name."""
    for prefix in ("國立", "市立", "縣立", "私立", "省立"):
        if view.text[max(0, start - len(prefix)) : start] == prefix:
            return start - len(prefix)
    return start


def _unit_ending(
    view: TextView, middle_start: int, token_start: int, end: int, pos: str, parent: str
) -> bool:
    """Whether the words from `middle_start` to `end` name a unit (能源 + 署, 疾管署)."""
    text = view.text
    span = text[middle_start:end]
    for unit in _unit_suffixes():
        if not span.endswith(unit) or len(span) < max(2, len(unit) + 1):
            continue
        if len(unit) == 1 and len(span) < 3 and parent == "GPE":
            return False  # 美國 + 好處: a city or country before a one-character ending
        # The unit word must be its own word or end a name-like word (農糧署/nr); 好處,
        # 當局, 記者會 are common words.
        word = text[token_start:end]
        return len(word) <= len(unit) or len(word) >= 3 or pos.startswith(PROPER_OR_UNKNOWN)
    return False


def city_government_candidates(view: TextView, strong: list[Candidate]) -> list[Candidate]:
    """臺中市 + 政府, 河北省 + 政府, 新北市 + 議會: a city's, county's or province's
    government is one ORG (a country's government, 美國政府, is left to the country)."""
    text = view.text
    found = []
    for item in strong:
        if item.label != "GPE" or text[item.end - 1 : item.end] not in LOCAL_UNIT_ENDS:
            continue
        for body in _set("local_government_words.txt"):
            if text.startswith(body, item.end) and item.end + len(body) in view.ends:
                found.append(Candidate(item.start, item.end + len(body), "ORG", "pattern"))
    return found


def agency_candidates(view: TextView) -> list[Candidate]:
    """農糧署, 疾管署, 國健署, 能源署: a two- or three-character head and 署 is an agency."""
    text = view.text
    found = []
    for start, end, _ in view.tokens:
        word = text[start:end]
        if word == "署":
            head = _agency_head(view, start)
            if head is not None:
                found.append(Candidate(head, end, "ORG", "pattern"))
        elif (
            3 <= len(word) <= 4
            and word.endswith("署")
            and all(map(is_cjk, word))
            and not word.startswith(("該", "本", "各", "此"))
        ):
            found.append(Candidate(start, end, "ORG", "pattern"))
    return found


def _agency_head(view: TextView, suffix_start: int) -> int | None:
    """能源 in 能源/署, 國際能源 in 國際/能源/署: up to four characters of nouns."""
    head = None
    position = suffix_start
    while True:
        token = view.token_ending_at(position)
        if token is None or suffix_start - token[0] > 4:
            break
        word = view.text[token[0] : token[1]]
        if not all(map(is_cjk, word)) or not token[2].startswith(UNIT_MIDDLE_POS):
            break
        if len(word) < 2:
            break
        head = position = token[0]
    return head if head is not None and suffix_start - head >= 2 else None


# --- railway lines ---------------------------------------------------------------


@cache
def _rail_words() -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for line in read_lines("rail_words.tsv"):
        word, kind = line.split("\t")
        kinds.setdefault(kind, set()).add(word)
    return kinds


def line_candidates(view: TextView, strong: list[Candidate]) -> list[Candidate]:
    """文湖線, 淡水信義線, 板南線, 山手線 (line words), 京滬高鐵, 縱貫鐵路 (railway words)."""
    text = view.text
    words = _rail_words()
    places = {item.start: item for item in strong if item.label in ("GPE", "LOC")}
    found = []
    for kind in ("line", "railway"):
        for word in words.get(kind, set()):
            for match in re.finditer(re.escape(word), text):
                end = match.end()
                if end not in view.ends:
                    continue
                start = _line_start(view, match.start(), end, kind, places)
                if start is not None:
                    found.append(Candidate(start, end, "FAC", "pattern"))
    return found


def _line_start(
    view: TextView, word_start: int, end: int, kind: str, places: dict[int, Candidate]
) -> int | None:
    text = view.text
    context = _rail_words().get("context", set())
    rail_context = any(text.endswith(word, 0, _head_start(view, word_start)) for word in context)
    rail_context = rail_context or _words_at(text, end, frozenset(context))
    best = None
    for start in range(word_start - 1, max(0, word_start - 4) - 1, -1):
        head = text[start:word_start]
        if not all(map(is_cjk, head)) or start not in view.starts:
            continue
        if len(head) < 2 or head in _set("generic_heads.txt"):
            continue
        tokens = list(_tokens_between(view, start, end))
        if tokens[-1][1] > end or tokens[0][0] < start:
            continue
        last = tokens[-1]
        # 海岸線, 航線 (in 北極航線): the line word ends a common word of jieba's (南線/f in
        # 板/南線 is only a piece of the name).
        common_whole = last[0] < word_start and last[2].startswith(("n", "v"))
        common_whole = common_whole and not last[2].startswith(PROPER_OR_UNKNOWN)
        if any(char in "的之" for char in head) or any(w in head for w in _all_rail_words()):
            continue  # 最先進的鐵路, 重鐵路線
        if kind == "railway":
            rail_context = False  # a railway word needs a name before it
        place = places.get(start)
        # The head's words: those of a place at its start count as proper (中和 + 新蘆).
        head_tokens = [
            token
            for token in tokens
            if token[1] <= word_start and (place is None or token[0] >= place.end)
        ]
        proper = all(_line_head_word(token) for token in head_tokens)
        if common_whole:
            continue
        if any(
            pos.startswith(NOT_NAME_POS) and (e - s > 1 or not rail_context)
            for s, e, pos in head_tokens
        ):
            continue  # 第一線 after numbers; 捷運中和新蘆線 may hold 中/f 和/c
        if proper or rail_context:
            best = start
    return best


@cache
def _all_rail_words() -> frozenset[str]:
    return frozenset(word for words in _rail_words().values() for word in words)


def _line_head_word(token: tuple[int, int, str]) -> bool:
    """A name word, an unknown word, or one character of a cut-up name (板/ng)."""
    if token[2].startswith(PROPER_OR_UNKNOWN):
        return True
    return token[1] - token[0] == 1 and token[2].startswith(("n", "a", "b"))


def _head_start(view: TextView, word_start: int) -> int:
    start = word_start
    while start > 0 and word_start - start < 4 and is_cjk(view.text[start - 1]):
        start -= 1
    return start


# --- typhoons --------------------------------------------------------------------


def typhoon_candidates(view: TextView) -> list[Candidate]:
    """颱風山陀兒, 強颱凱米, 颱風「海葵」, 杜蘇芮颱風: the typhoon's name is an EVENT."""
    text = view.text
    blocked = _set("not_typhoon_names.txt")
    found = []
    for word in _set("typhoon_words.txt"):
        for match in re.finditer(re.escape(word), text):
            after = _typhoon_name_after(view, match.end(), blocked)
            if after is not None:
                found.append(Candidate(match.end() + after[0], after[1], "EVENT", "pattern"))
            before = _typhoon_name_before(view, match.start(), blocked)
            if before is not None:
                found.append(Candidate(before, match.start(), "EVENT", "pattern"))
    return found


def _typhoon_name_after(
    view: TextView, position: int, blocked: frozenset[str]
) -> tuple[int, int] | None:
    text = view.text
    quoted = position < len(text) and text[position] in OPEN_QUOTES
    start = position + 1 if quoted else position
    best = None
    for end in range(start + 2, min(start + 4, len(text)) + 1):
        name = text[start:end]
        if not all(map(is_cjk, name)) or any(text.startswith(w, start) for w in blocked):
            break
        if quoted:
            if end < len(text) and text[end] in CLOSE_QUOTES:
                best = (start - position, end)
            continue
        if end not in view.ends or _words_at(text, end, blocked):
            if end in view.ends:
                best = best or None
            continue
        tokens = list(_tokens_between(view, start, end))
        if any(not pos.startswith(PROPER_OR_UNKNOWN) and e - s > 1 for s, e, pos in tokens):
            break  # 颱風假期, 颱風災情: a common word follows
        if any(pos.startswith(NOT_NAME_POS + ("v",)) for _, _, pos in tokens):
            break
        best = (start - position, end)
    return best


def _typhoon_name_before(view: TextView, position: int, blocked: frozenset[str]) -> int | None:
    text = view.text
    if position > 0 and text[position - 1] in CLOSE_QUOTES:
        opening = max(text.rfind(quote, 0, position - 1) for quote in OPEN_QUOTES)
        inner = text[opening + 1 : position - 1] if opening >= 0 else ""
        if 2 <= len(inner) <= 4 and all(map(is_cjk, inner)):
            return opening + 1
        return None
    if position not in view.ends:
        return None
    for start in range(position - 2, max(0, position - 4) - 1, -1):
        if start not in view.starts:
            continue
        name = text[start:position]
        if not all(map(is_cjk, name)) or name in blocked or name[-1:] in blocked:
            continue
        tokens = list(_tokens_between(view, start, position))
        if all(pos.startswith(PROPER_OR_UNKNOWN) for _, _, pos in tokens):
            return start
    return None


# --- brokers, banks, insurers ----------------------------------------------------


def finance_candidates(view: TextView, names: Gazetteer) -> list[Candidate]:
    """元大投顧, 凱基證券, 富邦投信, 國泰金控: a firm's own name and a finance word."""
    text = view.text
    found = []
    finance = [item for item in suffixes().values() if item.kind == "finance"]
    finance.append(suffixes()["銀行"])
    for suffix in finance:
        for match in re.finditer(re.escape(suffix.text), text):
            if match.end() not in view.ends:
                continue
            for length in (3, 2):
                start = match.start() - length
                if start >= 0 and _firm_name(view, names, start, match.start(), suffix.text):
                    found.append(Candidate(start, match.end(), "ORG", "pattern"))
                    break
    return found


def _firm_name(view: TextView, names: Gazetteer, start: int, end: int, suffix: str) -> bool:
    text = view.text
    head = text[start:end]
    if not all(map(is_cjk, head)) or start not in view.starts:
        return False
    if head in _set("finance_heads.txt") or head in _set("generic_heads.txt"):
        return False
    if head[-1] in "的之與和及、" or names.label(head) in ("GPE", "NORP"):
        return False  # 美國證券: a place and a finance word
    common_ok = suffix not in ("銀行", "期貨")  # 黃金期貨, 網路銀行 are products, not firms
    for token_start, token_end, pos in _tokens_between(view, start, end):
        if token_end > end and token_start < start:
            return False
        if token_end - token_start == 1 and not pos.startswith(NOT_NAME_POS + ("v",)):
            continue
        if token_end - token_start == 1 and token_end > end:
            continue
        if pos.startswith(PROPER_OR_UNKNOWN):
            continue
        if common_ok and pos.startswith(("n", "vn", "a", "b", "l")):
            continue
        if token_start < end < token_end and pos.startswith(PROPER_OR_UNKNOWN):
            continue  # 元大證券/nt: one word with its finance word
        if token_end - token_start == 1 and token_start == start and pos in ("m", "a"):
            continue  # 元/m 大/a: an unknown name cut into characters
        return False
    return True


# --- short forms defined in brackets ---------------------------------------------


def long_name_candidates(view: TextView, strong: list[Candidate]) -> list[Candidate]:
    """台灣積體電路製造公司（台積電）: before a bracketed Chinese short form, the words back
    to the short form's first character, ending in an organization word, are one ORG
    when the short form's characters appear in them in order."""
    text = view.text
    found = []
    for match in SHORT_FORM.finditer(text):
        short, end = match.group(1), match.start()
        if not is_cjk(short[0]) or end == 0 or longest_suffix(text[max(0, end - 6) : end]) is None:
            continue
        suffix = longest_suffix(text[max(0, end - 6) : end])
        if suffix is None or suffix.label != "ORG":
            continue
        for start in range(end - len(short), max(0, end - MAX_LONG_NAME) - 1, -1):
            if not is_cjk(text[start]):
                break
            if text[start] == short[0] and start in view.starts:
                if _in_order(short, text[start:end]):
                    found.append(Candidate(start, end, "ORG", "pattern"))
                break
    return found


def _in_order(short: str, long: str) -> bool:
    characters = iter(long)
    return all(char in characters for char in short)


def short_form_candidates(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """The bracketed short form after a name takes its label: 台灣積體電路製造公司（台積電）,
    國家通訊傳播委員會（NCC）."""
    by_end = {item.end: item for item in chosen}
    taken = {offset for item in chosen for offset in range(item.start, item.end)}
    found = []
    for match in SHORT_FORM.finditer(text):
        named = by_end.get(match.start())
        if named is None or named.label not in ("ORG", "GPE", "FAC", "LAW", "EVENT", "PRODUCT"):
            continue
        start, end = match.start(1), match.end(1)
        if taken.isdisjoint(range(start, end)):
            found.append(Candidate(start, end, named.label, "pattern"))
    return found


def short_forms(text: str, chosen: list[Candidate]) -> dict[str, str]:
    """Short forms a document defines in brackets, with their labels."""
    by_end = {item.end: item for item in chosen}
    forms = {}
    for match in SHORT_FORM.finditer(text):
        named = by_end.get(match.start())
        short = by_end.get(match.end(1))
        if named is not None and short is not None and short.start == match.start(1):
            forms[match.group(1)] = short.label
    return forms


# --- a place before a business, generic organization words -----------------------


def is_business(name: str, names: Gazetteer) -> bool:
    """蘋果公司, 豐田汽車, 元大證券, 英特爾: a business by its ending or, for a listed
    name without a known ending, by not being a government or public body."""
    suffix = longest_suffix(name)
    if suffix is not None:
        if suffix.kind not in BUSINESS_KINDS:
            return False
        head = name[: -len(suffix.text)]
        return len(head) >= 2 and not _descriptive(head)
    if name.endswith(_unit_suffixes()) or name.endswith(("辦", "宮", "府")):
        return False  # 國務院臺灣事務辦公室, 國台辦, 白宮: government bodies
    return names.label(name) == "ORG" and len(name) >= 2


def _descriptive(head: str) -> bool:
    """石油 in 中國石油公司, 積體電路製造 in 台灣積體電路製造公司: industry words make the
    place part of the business's own name."""
    generic = _set("generic_heads.txt")
    position = 0
    while position < len(head):
        for length in range(len(head) - position, 0, -1):
            if head[position : position + length] in generic and length >= 2:
                position += length
                break
        else:
            return False
    return True


def split_place_from_business(
    text: str, chosen: list[Candidate], names: Gazetteer
) -> list[Candidate]:
    """美國蘋果公司 → 美國 (GPE) + 蘋果公司 (ORG), unless the whole is a known name
    (美國在台協會) or the rest is a government body (美國商務部 stays one)."""
    result = []
    for item in chosen:
        surface = text[item.start : item.end]
        if item.label != "ORG" or names.label(surface) is not None:
            result.append(item)
            continue
        hit = names.longest_at(surface, 0)
        if hit is None or hit[1] not in PLACE_LABELS or hit[0] >= len(surface) - 1:
            result.append(item)
            continue
        rest = surface[hit[0] :]
        if not is_business(rest, names):
            result.append(item)
            continue
        middle = item.start + hit[0]
        result.append(Candidate(item.start, middle, hit[1], "gazetteer"))
        result.append(Candidate(middle, item.end, "ORG", item.source))
    return result


def drop_generic_organizations(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """上市公司, 子公司, 政府, 公會 alone: words for kinds of organizations."""
    generic = _set("not_org.txt")
    return [
        item
        for item in chosen
        if not (item.label == "ORG" and text[item.start : item.end] in generic)
    ]
