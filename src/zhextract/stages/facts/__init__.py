"""Facts stage: who did what, to whom and when, for every figure.

Fills `doc.facts`, one per figure with a predicate in its clause, from rules over the
words and POS tags of the segment stage, the entities and the dates (see `rules`). The
trigger words and their classes, cues, anaphora, prepositions and short place names are
data files in `data/`.

Fact fields (every span has `text`, `start`, `end` into `doc.text`):
- `figure`: the index of the figure in `doc.figures`.
- `predicate`: span with `lemma` and `class` (increase, decrease, level, invest, trade,
  share, target, other).
- `subject`: span of the entity or noun phrase doing it, with `label` (the entity's, or
  null for a noun phrase) and `name`; where a pronoun or 該公司/雙方 stood for it,
  `mention` is the pronoun's span (and `members`, the two parties of 雙方); or null.
- `object`: the other party (對美 -> name 美國), with `label`, `name` and `role`
  (target, partner, source); or null.
- `time`: the date span scoping it, with `date` (its index in `doc.dates`) and `value`.
- `change`: for movements, `direction` (increase/decrease) and `from`/`to` figure spans
  with their `figure` index where the text states them; else null.
- `polarity`: positive or negative, with the `negation` cue span (未達) or null.
- `modality`: asserted, planned (將, 計畫) or expected (預計, 可望), with the cue span in
  `modality_cue` or null; `reported`: null, or the reporting verb (表示, 指出) and the
  `speaker` span (or null).
"""

from __future__ import annotations

from typing import Any

from ...doc import Doc, Span
from ...registry import Stage, register_stage
from .lexicon import lexicon
from .rules import Party, Predicate, SentenceReader
from .words import DocWords, Word

__all__ = ["find_facts", "make_facts_stage"]


@register_stage("facts", requires=("tokens", "entities", "figures", "dates"), provides=("facts",))
def make_facts_stage() -> Stage:
    def facts(doc: Doc) -> None:
        doc.facts = find_facts(doc)

    return facts


def find_facts(doc: Doc) -> list[Span]:
    """The facts of every figure in `doc` (in figure order)."""
    table = DocWords(doc)
    figure_positions = table.figure_positions()
    sentences = _sentence_ranges(doc, table)
    found = []
    sentence = 0
    reader = None
    for figure_index, figure in enumerate(doc.figures):
        position = figure_positions.get(figure_index)
        if position is None or figure.get("kind") == "currency_name":
            continue
        while sentence + 1 < len(sentences) and sentences[sentence][1] <= position:
            sentence += 1
            reader = None
        first, end = sentences[sentence]
        if reader is None:  # one reader per sentence, shared by its figures
            previous = table.words(sentences[sentence - 1][0], first) if sentence > 0 else []
            reader = SentenceReader(table.words(first, end), previous, lexicon())
        fact = _fact(doc, reader, figure_index, position - first)
        if fact is not None:
            found.append(fact)
    return found


def _sentence_ranges(doc: Doc, table: DocWords) -> list[tuple[int, int]]:
    """[first, end) token positions of each sentence (the whole text if none are known)."""
    tokens = table.tokens
    if not doc.sentences:
        return [(0, len(tokens))]
    ranges = []
    index = 0
    for sentence in doc.sentences:
        first = index
        while index < len(tokens) and tokens[index][0] < sentence["end"]:
            index += 1
        if index > first:
            ranges.append((first, index))
    if index < len(tokens):
        ranges.append((index, len(tokens)))
    return ranges or [(0, len(tokens))]


def _fact(doc: Doc, reader: SentenceReader, figure_index: int, figure: int) -> Span | None:
    low, high = reader.clause(figure)
    cue = reader.reporting(figure)
    floor = cue + 1 if cue is not None else 0
    content_low = max(low, floor)
    predicate = reader.predicate(figure, content_low, high)
    if predicate is None:
        return None
    words = reader.words
    subject, obj = reader.arguments(min(figure, predicate.first), content_low)
    subject = reader.counted_subject(figure, predicate) or subject
    if subject is None:
        subject = reader.earlier_subject(low, floor) or reader.topic(content_low)
    obj = obj or reader.object_after(predicate, high)
    if obj is not None and subject is not None and obj.name and obj.name == subject.name:
        obj = None
    time = reader.time(figure, predicate, low, high, floor)
    change = reader.change(predicate, low, high)
    modality = reader.modality(predicate, content_low)
    negation = reader.negation(predicate, content_low)
    reported = None
    if cue is not None:
        speaker = reader.speaker(cue)
        reported = {
            "verb": doc.span(words[cue].start, words[cue].end),
            "speaker": _party(doc, speaker),
        }
    fact: Span = {
        "figure": figure_index,
        "predicate": _predicate(doc, predicate),
        "subject": _party(doc, subject),
        "object": _party(doc, obj),
        "time": _time(doc, words[time]) if time is not None else None,
        "change": _change(doc, change, words),
        "polarity": "negative" if negation else "positive",
        "negation": doc.span(*negation) if negation else None,
        "modality": modality[0] if modality else "asserted",
        "modality_cue": _word_span(doc, words[modality[1]]) if modality else None,
        "reported": reported,
    }
    return fact


def _predicate(doc: Doc, predicate: Predicate) -> Span:
    return doc.span(
        predicate.start,
        predicate.end,
        lemma=predicate.lemma,
        **{"class": predicate.predicate_class},
    )


def _party(doc: Doc, party: Party | None) -> Span | None:
    if party is None:
        return None
    fields: dict[str, Any] = {"label": party.label, "name": party.name}
    if party.role is not None:
        fields["role"] = party.role
    if party.mention is not None:
        fields["mention"] = doc.span(*party.mention)
    if party.members is not None:
        fields["members"] = [doc.span(start, end) for start, end, _ in party.members]
    return doc.span(party.start, party.end, **fields)


def _word_span(doc: Doc, word: Word) -> Span:
    return doc.span(word.start, word.end)


def _time(doc: Doc, word: Word) -> Span:
    return doc.span(word.start, word.end, date=word.item, value=doc.dates[word.item].get("value"))


def _change(
    doc: Doc, change: tuple[str, int | None, int | None] | None, words: list[Word]
) -> Span | None:
    if change is None:
        return None
    direction, source, target = change

    def figure_span(position: int | None) -> Span | None:
        if position is None:
            return None
        word = words[position]
        return doc.span(word.start, word.end, figure=word.item)

    return {"direction": direction, "from": figure_span(source), "to": figure_span(target)}
