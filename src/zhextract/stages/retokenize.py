"""Retokenize stage: a recognized entity, figure or date is one token, never split.

jieba cuts `1兆美元` into three words and may glue a title to a name (`總統川普`). After
the entities and figures stages, tokens are cut at every span boundary and the pieces
inside one span become a single token tagged by the span's label, so exports (CoNLL,
spaCy) and readers see the same units the record reports.
"""

from __future__ import annotations

from ..doc import Doc, Span, span_owners
from ..registry import Stage, register_stage

# jieba-style tags for merged spans, so the token POS column stays one tag set.
SPAN_TAGS = {
    "PERSON": "nr",
    "GPE": "ns",
    "LOC": "ns",
    "FAC": "ns",
    "ORG": "nt",
    "DATE": "t",
    "MONEY": "m",
    "PERCENT": "m",
    "QUANTITY": "m",
    "CARDINAL": "m",
    "ORDINAL": "m",
}
OTHER_SPAN_TAG = "nz"


def merge_tokens(
    length: int, tokens: list[tuple[int, int, str]], spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Tokens cut at span boundaries, each (non-overlapping) span one token with `tag`."""
    if _in_order(length, tokens) and _in_order(length, spans):
        return _merge_in_order(tokens, spans)
    return _merge_by_character(length, tokens, spans)


def _in_order(length: int, items: list[tuple[int, int, str]]) -> bool:
    """Whether `items` are non-empty, sorted, disjoint and inside the text (as always
    when they come from the stages)."""
    previous_end = 0
    for start, end, _ in items:
        if not previous_end <= start < end <= length:
            return False
        previous_end = end
    return True


def _merge_in_order(
    tokens: list[tuple[int, int, str]], spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """`merge_tokens` for ordered tokens and spans, in one pass: every span, and the
    parts of tokens that no span covers."""
    if not spans:
        return list(tokens)
    outside: list[tuple[int, int, str]] = []
    count = len(spans)
    first = 0  # the first span that does not end before the current token
    for token in tokens:
        start, end, tag = token
        while first < count and spans[first][1] <= start:
            first += 1
        if first == count or spans[first][0] >= end:
            outside.append(token)  # most tokens: no span touches them
            continue
        cursor = start
        index = first
        while index < count and spans[index][0] < end:
            span_start, span_end, _ = spans[index]
            if cursor < span_start:
                outside.append((cursor, span_start, tag))
            cursor = max(cursor, span_end)
            index += 1
        if cursor < end:
            outside.append((cursor, end, tag))
    return sorted(outside + spans)


def _merge_by_character(
    length: int, tokens: list[tuple[int, int, str]], spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """`merge_tokens` for any tokens and spans, worked out character by character."""
    owner = span_owners(length, ((start, end) for start, end, _ in spans))
    tag_at: list[str | None] = [None] * length  # None: not covered by a token
    for start, end, tag in tokens:
        tag_at[start:end] = [tag] * (end - start)
    points = {0, length}
    for start, end, _ in tokens:
        points.update((start, end))
    for start, end, _ in spans:
        points.update((start, end))
    cuts = sorted(p for p in points if not (0 < p < length and -1 != owner[p - 1] == owner[p]))
    merged: list[tuple[int, int, str]] = []
    for start, end in zip(cuts, cuts[1:]):
        piece_tag = tag_at[start]
        if owner[start] >= 0:
            merged.append((start, end, spans[owner[start]][2]))
        elif piece_tag is not None:
            merged.append((start, end, piece_tag))
    return merged


@register_stage("retokenize", requires=("tokens",), provides=("tokens",))
def make_retokenize_stage() -> Stage:
    def retokenize(doc: Doc) -> None:
        tokens = doc.token_tuples()
        spans = sorted(_span(item) for item in [*doc.entities, *doc.figures, *doc.dates])
        doc.set_tokens(merge_tokens(len(doc.text), tokens, _disjoint(spans)))

    return retokenize


def _span(item: Span) -> tuple[int, int, str]:
    label = item.get("label", "DATE")
    return item["start"], item["end"], SPAN_TAGS.get(label, OTHER_SPAN_TAG)


def _disjoint(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop any span overlapping an earlier one (the stages keep them apart already)."""
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept
