"""The NER model's tokenizer: one token per character, with jieba word features.

Chinese names have no spaces to mark their edges, so the model reads characters.
Each character token also carries, from jieba on a character-for-character
Simplified projection of the text, where it sits in its word and the word's
dictionary part of speech (`tag_`, e.g. "B-nr") and the word itself (`lemma_`). Names in
jieba's dictionary and its HMM guesses thus become features, not decisions.
Optionally (the model's config says which), a token also carries the character
bigram it starts (`norm_`), and where it sits in the longest proper-name word of
jieba's dictionary that covers it, whatever jieba's cut chose (`morph`, e.g. "Lex=B_nt").
The tokenizer is registered with spaCy so a saved model's config can name it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..segment import to_simplified

TOKENIZER_NAME = "zhextract.char_words.v1"


@cache
def _tagged_cut() -> Callable[[str], list[tuple[str, str]]]:
    """jieba words with their dictionary POS; "new" for words jieba's HMM found.

    jieba.posseg tags unknown words too but is six times slower than this lookup.
    """
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab

    def tag(word: str) -> str:
        return tags.get(word) or ("new" if all("\u4e00" <= c <= "\u9fff" for c in word) else "x")

    return lambda text: [(word, tag(word)) for word in jieba.cut(text)]


Features = tuple[tuple[str, str], ...]
_remembered: dict[str, Features] | None = None
_remembered_lexicon: dict[tuple[str, frozenset[str]], tuple[str, ...]] | None = None


def remember_features(enabled: bool) -> None:
    """Keep features per text: training re-tokenizes every sentence each epoch and
    jieba dominates that; at prediction time texts rarely repeat."""
    global _remembered, _remembered_lexicon
    _remembered = {} if enabled else None
    _remembered_lexicon = {} if enabled else None


def word_features(text: str) -> Features:
    """(tag, word) for every character of `text`: tag is BMES position + jieba POS."""
    if _remembered is None:
        return _word_features(text)
    if text not in _remembered:
        _remembered[text] = _word_features(text)
    return _remembered[text]


def _word_features(text: str) -> Features:
    features: list[tuple[str, str]] = []
    for word, flag in _tagged_cut()(to_simplified(text)):
        if len(word) == 1:
            features.append((f"S-{flag}", word))
            continue
        positions = ["B"] + ["M"] * (len(word) - 2) + ["E"]
        features.extend((f"{position}-{flag}", word) for position in positions)
    if len(features) != len(text):  # never expected; keep offsets safe regardless
        return tuple(("S-x", char) for char in to_simplified(text))
    return tuple(features)


def char_bigrams(text: str) -> list[str]:
    """The Simplified bigram each character starts; the last one pairs with a line break."""
    padded = to_simplified(text) + "\n"
    return [padded[index : index + 2] for index in range(len(text))]


def dictionary_tags() -> dict[str, str]:
    """jieba's dictionary: Simplified word -> part-of-speech tag."""
    _tagged_cut()  # initialises jieba
    import jieba.posseg

    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab
    return tags


@cache
def _dictionary_words(tags: frozenset[str]) -> tuple[dict[str, str], int]:
    """jieba's dictionary words of 2+ characters with one of `tags`, and the longest length."""
    words = {word: tag for word, tag in dictionary_tags().items() if tag in tags and len(word) >= 2}
    return words, max(map(len, words), default=0)


def lexicon_features(text: str, tags: frozenset[str]) -> tuple[str, ...]:
    """Per character: position and tag of the longest `tags` dictionary word covering it.

    "Lex=B_nt" for the first character of an organisation name in jieba's dictionary,
    "Lex=I_nt" inside it, "" outside any. Unlike the cut, overlapping readings count.
    """
    if _remembered_lexicon is None:
        return _lexicon_features(text, tags)
    key = (text, tags)
    if key not in _remembered_lexicon:
        _remembered_lexicon[key] = _lexicon_features(text, tags)
    return _remembered_lexicon[key]


def _lexicon_features(text: str, tags: frozenset[str]) -> tuple[str, ...]:
    words, longest = _dictionary_words(tags)
    simplified = to_simplified(text)
    best = [0] * len(text)  # length of the longest word covering each character so far
    marks = [""] * len(text)
    for start in range(len(simplified)):
        for length in range(min(longest, len(simplified) - start), 1, -1):
            tag = words.get(simplified[start : start + length])
            if tag is None:
                continue
            for index in range(start, start + length):
                if length > best[index]:
                    best[index] = length
                    marks[index] = f"Lex={'B' if index == start else 'I'}_{tag}"
            break
    return tuple(marks)


def char_tokens(text: str) -> tuple[list[str], list[bool], list[int]]:
    """Characters as tokens; a single space after a character becomes its trailing space.

    Returns the words, their trailing-space flags, and each word's index into `text`.
    """
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[int] = []
    for index, char in enumerate(text):
        if char == " " and words and not spaces[-1] and starts[-1] == index - 1:
            spaces[-1] = True
            continue
        words.append(char)
        spaces.append(False)
        starts.append(index)
    return words, spaces, starts


class CharWordTokenizer:
    """spaCy tokenizer: character tokens, optionally with jieba word features,
    character bigrams (`norm_`) and dictionary proper-name matches (`morph`)."""

    def __init__(
        self,
        vocab: Vocab,
        use_word_features: bool = True,
        use_bigrams: bool = False,
        lexicon_tags: Iterable[str] = (),
    ) -> None:
        self.vocab = vocab
        self.use_word_features = use_word_features
        self.use_bigrams = use_bigrams
        self.lexicon_tags = frozenset(lexicon_tags)

    def __call__(self, text: str) -> Doc:
        words, spaces, starts = char_tokens(text)
        if not self.use_word_features or not words:
            return Doc(self.vocab, words=words, spaces=spaces)
        features = word_features(text)
        tags = [features[start][0] for start in starts]
        lemmas = [features[start][1] for start in starts]
        morphs = None
        if self.lexicon_tags:
            marks = lexicon_features(text, self.lexicon_tags)
            morphs = [marks[start] for start in starts]
        doc = Doc(self.vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas, morphs=morphs)
        if self.use_bigrams:
            bigrams = char_bigrams(text)
            for token, start in zip(doc, starts):
                token.norm_ = bigrams[start]
        return doc

    # spaCy serialises tokenizers with the pipeline; this one has no state to save.
    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> CharWordTokenizer:
        return self

    def to_disk(self, path: object, **kwargs: object) -> None:
        return None

    def from_disk(self, path: object, **kwargs: object) -> CharWordTokenizer:
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_char_word_tokenizer(
    word_features: bool = True,
    bigrams: bool = False,
    lexicon_tags: list[str] | None = None,
) -> Callable[[spacy.Language], CharWordTokenizer]:
    def make(nlp: spacy.Language) -> CharWordTokenizer:
        return CharWordTokenizer(nlp.vocab, word_features, bigrams, lexicon_tags or ())

    return make
