"""Entities stage: OntoNotes-style named entities from gazetteers and patterns.

Candidates come from the gazetteer (longest match at each position) and from patterns
(quoted names, title + name, proper head + suffix, country pairs, photo credits,
bylines); jieba's nt/nr tags only fill gaps. The longest candidates win, adjacent
country + organization names join into one organization (中國 + 外交部), Latin glosses
in brackets take the label of the name they follow, and a name found once is found
wherever else it occurs in the document, with one label per surface form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ...doc import Doc
from ...registry import Stage, register_stage
from .gazetteer import TITLE_LABEL, Gazetteer, gazetteer
from .model import model_candidates, widened_by_model, without_model_spans_across_names
from .patterns import (
    ADMINISTRATIVE_ENDS,
    DISTRICT_ENDS,
    Candidate,
    TextView,
    acronym_candidates,
    byline_candidates,
    dotted_name_candidates,
    gazetteer_candidates,
    jieba_candidates,
    latin_gloss_spans,
    name_before_title_candidates,
    pair_event_candidates,
    photo_credit_candidates,
    quoted_candidates,
    subdivision_candidates,
    suffix_candidates,
    title_person_candidates,
)
from .shapes import (
    agency_candidates,
    city_government_candidates,
    drop_generic_organizations,
    finance_candidates,
    is_business,
    japanese_name_candidates,
    line_candidates,
    long_name_candidates,
    name_before_verb_candidates,
    short_form_candidates,
    short_forms,
    split_place_from_business,
    typhoon_candidates,
    unit_candidates,
)

LABELS = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
# Labels whose names join a following organization name into one (中國 + 外交部).
JOINS_ORGANIZATION = ("GPE", "ORG")
LOWER_UNIT_ENDS = "市縣" + DISTRICT_ENDS  # 四川省資陽市, 臺北市信義區: one address


def find_entities(
    text: str,
    tokens: Sequence[tuple[int, int, str]] = (),
    paragraphs: Sequence[tuple[int, int]] = (),
    predictions: Sequence[tuple[int, int, str]] = (),
    model_first: bool = False,
) -> list[Candidate]:
    """Non-overlapping entities of `text`, sorted by start. `predictions` are the
    statistical model's (start, end, UNER label) spans: they fill gaps the knowledge
    leaves, before jieba's guesses. With `model_first` (a model that has read the
    knowledge's own answer as a feature) they also widen a known name they hold
    (widened_by_model), and they replace jieba's guesses."""
    return resolve(read_knowledge(text, tokens, paragraphs), predictions, model_first)


@dataclass(frozen=True)
class Knowledge:
    """What the gazetteers and patterns find in a text, before any model is heard: read
    once, resolved with or without a model's predictions."""

    view: TextView
    names: Gazetteer
    known: list[Candidate]  # the strong candidates chosen, with subdivisions
    name_guesses: list[Candidate]  # Chinese names before speech verbs
    acronyms: list[Candidate]
    jieba_guesses: list[Candidate]


def read_knowledge(
    text: str, tokens: Sequence[tuple[int, int, str]], paragraphs: Sequence[tuple[int, int]]
) -> Knowledge:
    view = TextView(text, tokens)
    names = gazetteer()
    strong = gazetteer_candidates(view, names)
    strong += quoted_candidates(view, names)
    strong += title_person_candidates(view, names)
    strong += name_before_title_candidates(view)
    strong += pair_event_candidates(view)
    strong += photo_credit_candidates(view)
    strong += byline_candidates(view, paragraphs)
    strong += dotted_name_candidates(view)
    strong += shape_candidates(view, names)
    strong += suffix_candidates(view, strong)
    strong += unit_candidates(view, strong) + line_candidates(view, strong)
    strong += city_government_candidates(view, strong)
    strong += long_name_candidates(view, strong)
    known = select(strong, [])
    known = select(subdivision_candidates(view, known), known)
    return Knowledge(
        view,
        names,
        known,
        name_before_verb_candidates(view),
        acronym_candidates(view),
        jieba_candidates(view),
    )


def resolve(
    knowledge: Knowledge,
    predictions: Sequence[tuple[int, int, str]] = (),
    model_first: bool = False,
) -> list[Candidate]:
    """The entities of `knowledge` with a model's `predictions` (see find_entities)."""
    view, names, text = knowledge.view, knowledge.names, knowledge.view.text
    from_model = model_candidates(text, list(predictions), names, view.pos_at)
    if model_first:
        chosen = widened_by_model(text, knowledge.known, from_model, view.pos_at)
        chosen = select(from_model, chosen)
        chosen = select(knowledge.name_guesses + knowledge.acronyms, chosen)
        chosen = without_model_spans_across_names(text, chosen)
    else:
        chosen = select(from_model, knowledge.known)
        chosen = select(knowledge.name_guesses, chosen)
        chosen = select(knowledge.jieba_guesses + knowledge.acronyms, chosen)
    chosen = [item for item in chosen if item.label != TITLE_LABEL]
    chosen = join_organizations(text, chosen, lambda name: is_business(name, names))
    chosen = join_places(text, chosen)
    chosen = split_place_from_business(text, chosen, names)
    chosen = drop_generic_organizations(text, chosen)
    chosen += short_form_candidates(text, chosen)
    chosen += latin_glosses(text, chosen)
    chosen += repeated_mentions(text, chosen, short_forms(text, chosen))
    return unify_labels(text, chosen)


def shape_candidates(view: TextView, names: Gazetteer) -> list[Candidate]:
    """Names read from their shape (stages.entities.shapes): Japanese names, typhoons,
    brokers and banks, bare agencies."""
    found = japanese_name_candidates(view) + typhoon_candidates(view)
    return found + finance_candidates(view, names) + agency_candidates(view)


def select(candidates: Iterable[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """Add the longest candidates that overlap nothing already chosen (ties: earliest)."""
    taken = _taken_offsets(chosen)
    result = list(chosen)
    for candidate in sorted(candidates, key=lambda item: (item.start - item.end, item.start)):
        span = range(candidate.start, candidate.end)
        if not taken.isdisjoint(span):
            continue
        taken.update(span)
        result.append(candidate)
    return sorted(result)


def _taken_offsets(chosen: Iterable[Candidate]) -> set[int]:
    return {offset for item in chosen for offset in range(item.start, item.end)}


def join_organizations(
    text: str, chosen: list[Candidate], business: Callable[[str], bool]
) -> list[Candidate]:
    """中國 + 外交部 + 亞洲司 → one ORG: a body named with its country and parent body; a
    place before a business (美國 + 蘋果公司) stays apart."""

    def joins(previous: Candidate, item: Candidate) -> bool:
        if item.label != "ORG" or previous.label not in JOINS_ORGANIZATION:
            return False
        return previous.label == "ORG" or not business(text[item.start : item.end])

    return _join_adjacent(chosen, joins, "ORG")


def join_places(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """臺北市 + 信義區, 四川省 + 資陽市 + 雁江區 → one GPE: an address from city down."""

    def joins(previous: Candidate, item: Candidate) -> bool:
        return (
            previous.label == item.label == "GPE"
            and text[previous.end - 1] in ADMINISTRATIVE_ENDS
            and text[item.end - 1] in LOWER_UNIT_ENDS
        )

    return _join_adjacent(chosen, joins, "GPE")


def _join_adjacent(
    chosen: list[Candidate], joins: Callable[[Candidate, Candidate], bool], label: str
) -> list[Candidate]:
    """Candidates in order, each touching pair that `joins` accepts made one `label` span."""
    result: list[Candidate] = []
    for item in sorted(chosen):
        previous = result[-1] if result else None
        if previous is not None and previous.end == item.start and joins(previous, item):
            result[-1] = Candidate(previous.start, item.end, label, "pattern")
        else:
            result.append(item)
    return result


def latin_glosses(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """川普(Donald Trump): the bracketed Latin name gets the label of the name before it."""
    by_end = {item.end: item for item in chosen}
    taken = _taken_offsets(chosen)
    found = []
    for start, end, before in latin_gloss_spans(text):
        named = by_end.get(before)
        if named is None or not taken.isdisjoint(range(start, end)):
            continue
        found.append(Candidate(start, end, named.label, "pattern"))
    return found


def repeated_mentions(
    text: str, chosen: list[Candidate], defined: dict[str, str] | None = None
) -> list[Candidate]:
    """Other occurrences of a name the patterns found once (one label per surface), and
    of the short forms the document `defined` in brackets (台積電, 中油: any length)."""
    taken = _taken_offsets(chosen)
    labels: dict[str, str] = dict(defined or {})
    for item in chosen:
        if item.source != "gazetteer" and item.end - item.start >= 3:
            labels.setdefault(text[item.start : item.end], item.label)
    found = []
    for surface, label in labels.items():
        position = text.find(surface)
        while position >= 0:
            span = range(position, position + len(surface))
            if taken.isdisjoint(span):
                taken.update(span)
                found.append(Candidate(position, position + len(surface), label, "consistency"))
            position = text.find(surface, position + 1)
    return found


def unify_labels(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """One label per surface form in a document: the most frequent, earliest on ties."""
    ordered = sorted(chosen)
    votes: dict[str, Counter[str]] = {}
    for item in ordered:
        votes.setdefault(text[item.start : item.end], Counter())[item.label] += 1
    winners = {surface: counts.most_common(1)[0][0] for surface, counts in votes.items()}
    result = []
    for item in ordered:
        label = winners[text[item.start : item.end]]
        result.append(item if item.label == label else item._replace(label=label))
    return result


@register_stage("entities", requires=("text",), provides=("entities",))
def make_entities_stage(model: bool | str = True) -> Stage:
    """Setting `model`: the statistical NER model used with the knowledge. "lac": our
    tagger on LAC's pretrained encoder (stages/ner/lac_tagger.py), which reads what the
    knowledge found and is then trusted first; "characters" (or true): the character
    network (stages/ner/network.py), which fills gaps the knowledge leaves; false: none."""
    gazetteer()  # load the name lists once, when the pipeline is built
    tag = _tagger(model)

    def entities(doc: Doc) -> None:
        tokens = doc.token_tuples()
        paragraphs = [(item["start"], item["end"]) for item in doc.paragraphs]
        found = tag(doc.text, tokens, paragraphs)
        doc.entities = [
            doc.span(item.start, item.end, label=item.label, source=item.source) for item in found
        ]

    return entities


Tagger = Callable[[str, Sequence[tuple[int, int, str]], list[tuple[int, int]]], list[Candidate]]


def _tagger(model: bool | str) -> Tagger:
    """The entity finder for a `model` setting, with its model loaded now: a missing or
    broken model fails when the pipeline is built, not on the first document."""
    from .. import ner

    if model is False:
        return find_entities
    if model == "lac":
        from ..ner import lac_tagger

        lac_tagger.load_tagger()
        return _with_lac_tagger
    if model is True or model == "characters":
        ner.load_model()
        return _with_character_model
    raise ValueError(f'entities: model must be "lac", "characters", true or false, not {model!r}')


def _with_lac_tagger(
    text: str, tokens: Sequence[tuple[int, int, str]], paragraphs: list[tuple[int, int]]
) -> list[Candidate]:
    from ..ner import lac_tagger

    knowledge = read_knowledge(text, tokens, paragraphs)
    predictions = lac_tagger.predict(text, tokens, resolve(knowledge))
    return resolve(knowledge, predictions, model_first=True)


def _with_character_model(
    text: str, tokens: Sequence[tuple[int, int, str]], paragraphs: list[tuple[int, int]]
) -> list[Candidate]:
    from .. import ner

    return find_entities(text, tokens, paragraphs, ner.predict(text, tokens))
