"""The word sequence the fact rules read: tokens with every entity, figure and date as
one word that knows what it is, cut into sentences and clauses."""

from __future__ import annotations

from typing import NamedTuple

from ...doc import Doc
from ..retokenize import merge_tokens

# Punctuation that ends a clause; 、 joins list items inside one.
CLAUSE_ENDS = frozenset("，,；;：:。！？!?\n")
# Jieba tags of words that can head or join a noun phrase (x: words jieba does not know,
# often nouns of the domain such as 營收).
NOMINAL_TAGS = ("n", "vn", "j", "nz", "nr", "ns", "nt", "x", "an", "ng", "l")
SUBJECT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


class Word(NamedTuple):
    """A word of the text (a named tuple: one is built for every token)."""

    start: int
    end: int
    pos: str
    text: str
    kind: str  # "entity", "figure", "date" or "" for a plain token
    item: int  # its index in doc.entities / doc.figures / doc.dates, else -1
    label: str  # the entity's or figure's label, else ""

    @property
    def is_clause_end(self) -> bool:
        return self.kind == "" and self.text in CLAUSE_ENDS

    @property
    def is_verb(self) -> bool:
        return self.kind == "" and self.pos.startswith("v")

    @property
    def is_nominal(self) -> bool:
        if self.kind == "entity":
            return True
        if self.kind or self.is_clause_end or not self.text.strip():
            return False
        if self.pos == "x" and not any("\u3400" <= char <= "\u9fff" for char in self.text):
            return False
        return self.pos.startswith(NOMINAL_TAGS)


class DocWords:
    """The document's tokens with entities, figures and dates merged into one word each
    (tagged "@entity", "@figure", "@date", so they never pass for a jieba tag); `Word`s
    are built only for the stretches the rules read."""

    def __init__(self, doc: Doc) -> None:
        found: dict[tuple[int, int], tuple[str, int, str]] = {}
        items_by_kind = (("entity", doc.entities), ("figure", doc.figures), ("date", doc.dates))
        for kind, items in items_by_kind:
            for index, item in enumerate(items):
                key = (item["start"], item["end"])
                if item["start"] < item["end"] and key not in found:
                    found[key] = (kind, index, item.get("label", ""))
        disjoint: list[tuple[int, int, str]] = []
        for start, end in sorted(found):
            if not disjoint or start >= disjoint[-1][1]:
                disjoint.append((start, end, "@" + found[start, end][0]))
        self.text = doc.text
        self.found = found
        self.tokens = merge_tokens(len(doc.text), doc.token_tuples(), disjoint)

    def __len__(self) -> int:
        return len(self.tokens)

    def figure_positions(self) -> dict[int, int]:
        """Token position of each figure, by the figure's index."""
        return {
            self.found[start, end][1]: position
            for position, (start, end, pos) in enumerate(self.tokens)
            if pos == "@figure"
        }

    def words(self, first: int, end: int) -> list[Word]:
        text, found, plain = self.text, self.found, ("", -1, "")
        return [
            Word(
                start, end, pos, text[start:end], *(found[start, end] if pos[:1] == "@" else plain)
            )
            for start, end, pos in self.tokens[first:end]
        ]
