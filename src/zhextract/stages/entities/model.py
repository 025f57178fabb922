"""Candidates from the statistical NER model (`zhextract.stages.ner`), typed with our
knowledge: the model speaks the UNER scheme (PER, ORG, LOC), and LOC splits into GPE,
LOC and FAC by the gazetteer, then by the name's ending."""

from __future__ import annotations

import bisect
import re
from functools import cache

from .gazetteer import Gazetteer, read_lines, suffixes, word_set
from .patterns import Candidate, is_cjk

YEAR_AFTER = re.compile("[0-9０-９〇零一二三四五六七八九十百]{1,4}年")
MODEL_LABELS = {"PER": "PERSON", "ORG": "ORG"}
PLACE_LABELS = ("GPE", "LOC", "FAC")
MAX_GLOSS_CHARS = 60  # how far back a Latin gloss's opening bracket is looked for


@cache
def _numeral_chars() -> frozenset[str]:
    from ..figures.numbers import numeral_chars

    return frozenset(numeral_chars())


@cache
def _place_endings() -> dict[str, str]:
    """Name endings that mark a place as LOC (海, 島, 半島...) or GPE (市, 縣...)."""
    endings = {}
    for line in read_lines("place_endings.tsv"):
        ending, label = line.split("\t")
        endings[ending] = label
    return endings


def place_label(surface: str, names: Gazetteer) -> str:
    """GPE, LOC or FAC for a place name the model found."""
    known = names.label(surface)
    if known in PLACE_LABELS:
        return known
    endings = _place_endings()
    for length in range(min(3, len(surface) - 1), 0, -1):
        label = endings.get(surface[-length:])
        if label:
            return label
    suffix = suffixes().get(surface[-1:])
    if suffix is not None and suffix.kind == "fac":
        return "FAC"
    return "GPE"


def _in_brackets(text: str, start: int) -> bool:
    """Whether only Latin text stands between `start` and an opening bracket: (George W.Bush)."""
    before = text[max(0, start - MAX_GLOSS_CHARS) : start]
    opening = max(before.rfind("("), before.rfind("（"))
    return opening >= 0 and before[opening + 1 :].isascii()


def model_candidates(
    text: str,
    predictions: list[tuple[int, int, str]],
    names: Gazetteer,
    pos_at: list[str] | None = None,
) -> list[Candidate]:
    """The model's entities as candidates with OntoNotes labels. `pos_at` holds the jieba
    tag of each character's word; where given, a span of numerals and classifiers only
    (七成六) is not a name."""
    found = []
    abbreviations = word_set("country_abbreviations.txt")
    for start, end, label in predictions:
        surface = text[start:end]
        if end - start < 2 or all(char in abbreviations for char in surface[:2]):
            continue  # 美日, 美日同盟: country abbreviations, and what two countries share
        if surface.isascii() and _in_brackets(text, start):
            continue  # a Latin gloss takes the label of the name it glosses (latin_glosses)
        if all(char in _numeral_chars() or not char.isalpha() for char in surface):
            continue  # 二〇二, 1990: numbers are the figures stage's
        if pos_at and all(pos_at[index] in NUMBER_TAGS for index in range(start, end)):
            continue
        if not any(is_cjk(char) for char in surface):
            continue  # Latin names are the knowledge's (the model reads them as unknowns)
        if YEAR_AFTER.match(text, end):
            continue  # 民國|114年, 昭和|50年: an era is part of a date (the figures stage's)

        mapped = MODEL_LABELS.get(label) or place_label(surface, names)
        found.append(Candidate(start, end, mapped, "model"))
    return found


# What the model can name (its PER/LOC/ORG mapped); knowledge of any other type (EVENT,
# LAW, PRODUCT...) is something the model cannot widen.
MODEL_TYPES = frozenset({"PERSON", "ORG", *PLACE_LABELS})
# jieba tags of words that do not belong to a name around it: verbs, adjectives, adverbs,
# locative and time words (畔, 以北, 今天), prepositions, conjunctions, particles, pronouns,
# interjections.
NOT_NAME_TAGS = ("v", "a", "d", "f", "t", "p", "c", "u", "r", "y", "e", "o")
NUMBER_TAGS = ("m", "q", "mq")


def widened_by_model(
    text: str, chosen: list[Candidate], found: list[Candidate], pos_at: list[str]
) -> list[Candidate]:
    """The knowledge's entities (`chosen`), each replaced by a model span that holds it
    and more (北京大學 -> 北京大學醫學部), unless the extra is a verb, adjective or adverb
    (訪問 + 華府) or holds a title (陸委會 + 主委), the model span cuts across another
    entity, or it would swallow names of different types (美軍 + 普天間基地)."""
    chosen = sorted(chosen)
    starts = [item.start for item in chosen]
    replaced: set[int] = set()
    widened = []
    for item in found:
        first = bisect.bisect_left(starts, item.start)
        last = bisect.bisect_left(starts, item.end)
        inside = range(first, last)
        if not inside or any(chosen[index].end > item.end for index in inside):
            continue
        if first > 0 and chosen[first - 1].end > item.start:
            continue  # cuts across the entity before it
        names = [chosen[index] for index in inside]
        if (item.start, item.end) == (names[0].start, names[0].end):
            continue
        if any(name.label not in MODEL_TYPES for name in names):
            continue
        if len({name.label for name in names}) > 1:
            continue
        if item.label == "PERSON" and names[0].label != "PERSON":
            continue  # 菲國 + 公民: a person's name does not hold a place or body
        if _extended_by_non_name_word(pos_at, item, names) or _holds_title(text, item, names):
            continue
        replaced.update(inside)
        widened.append(item)
    return [item for index, item in enumerate(chosen) if index not in replaced] + widened


def _extended_by_non_name_word(pos_at: list[str], item: Candidate, names: list[Candidate]) -> bool:
    covered = {index for name in names for index in range(name.start, name.end)}
    return any(
        pos_at[index].startswith(NOT_NAME_TAGS)
        for index in range(item.start, item.end)
        if index not in covered
    )


def _holds_title(text: str, item: Candidate, names: list[Candidate]) -> bool:
    """Whether the part of `item` outside `names` ends with or is a title (主委, 總統)."""
    extra = text[names[-1].end : item.end]
    return bool(extra) and extra.endswith(_titles())


@cache
def _titles() -> tuple[str, ...]:
    return tuple(word_set("titles.txt"))


LONGEST_KNOWN = 20  # longest known name looked for around a model span


def without_model_spans_across_names(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """`chosen` without the model's spans that cut into another occurrence of a name the
    knowledge found in the document (強颱山|陀兒 where 山陀兒 is a typhoon named later):
    the name is then found there too (repeated_mentions)."""
    names = {
        text[item.start : item.end]
        for item in chosen
        if item.source != "model" and 2 <= item.end - item.start <= LONGEST_KNOWN
    }
    if not names:
        return chosen
    lengths = sorted({len(name) for name in names})
    return [
        item
        for item in chosen
        if item.source != "model" or not _cuts_into_a_name(text, item, names, lengths)
    ]


def _cuts_into_a_name(text: str, item: Candidate, names: set[str], lengths: list[int]) -> bool:
    for length in lengths:
        for start in range(max(0, item.start - length + 1), item.end):
            end = start + length
            inside = item.start <= start and end <= item.end
            if not inside and text[start:end] in names:
                return True
    return False
