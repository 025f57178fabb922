"""The segmenter's own dictionary route gives jieba's cuts exactly, at a fraction of the cost.

jieba (with its HMM off) is the reference: the same dictionary, the same blocks, the same
best route and ties, the same POS tags. Texts are the corpus, the user's seed where
present, hand-written edge cases and random strings over the dictionary's characters.
"""

from __future__ import annotations

import logging
import math
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from zhextract.stages.segment import _dictionary_pieces, cut_words
from zhextract.stages.segment_lexicon import (
    TABLE_VERSION,
    WordTable,
    dictionary_path,
    project,
    read_word_table,
    word_table,
)

REPO = Path(__file__).resolve().parent.parent
EDGE_TEXTS = [
    "",
    "台北市長說 Hello World 很好",
    "ＡＢＣ公司說……好，3.5% 與 1,234.5 億元\u3000\t之後",
    "第一段。\r\n\r\n  第二段有 C++ 與 a.b_c#d&e 還有 x-y 的 50%",
    "㐀㐁 龥龦 豈更 ︰ ½ ① ｱｲｳ",
    "a b\nc",
    "一二三四五六七八九十百千萬億",
]


@pytest.fixture(scope="module")
def jieba_tokenizers() -> tuple[Any, Any]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    dictionary = dictionary_path()
    tokenizer = jieba.Tokenizer(dictionary=str(dictionary))
    tokenizer.tmp_dir = str(dictionary.parent)
    tokenizer.initialize()
    return tokenizer, jieba.posseg.POSTokenizer(tokenizer)


def sample_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(REPO.glob("corpus/*.txt"))]
    seed = REPO.parent / "shared" / "seeds" / "000_beb807c6142ff2a5.txt"
    if seed.is_file():
        texts.append(seed.read_text(encoding="utf-8"))
    return texts + EDGE_TEXTS + random_texts(word_table(), 40)


def random_texts(table: WordTable, count: int) -> list[str]:
    """Strings of dictionary words, their fragments, Latin, digits, spaces, punctuation."""
    chance = random.Random(5)
    words = sorted(word for word, score in table.scores.items() if score is not None)
    extras = list("abcXYZ0123456789.%-+#&_ \n，。、「」…")
    texts = []
    for _ in range(count):
        parts = [
            chance.choice(words)[: chance.randint(1, 4)]
            if chance.random() < 0.7
            else chance.choice(extras)
            for _ in range(chance.randint(1, 60))
        ]
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("text", sample_texts())
def test_pieces_equal_jieba_without_hmm(text: str, jieba_tokenizers: tuple[Any, Any]) -> None:
    tokenizer, pos_tokenizer = jieba_tokenizers
    projected = project(text)
    table = word_table()
    expected_pos = [(pair.word, pair.flag) for pair in pos_tokenizer.cut(projected, HMM=False)]
    assert _dictionary_pieces(table, projected, with_pos=True) == expected_pos
    expected_plain = [(word, "") for word in tokenizer.cut(projected, HMM=False)]
    assert _dictionary_pieces(table, projected, with_pos=False) == expected_plain


def test_word_table_is_jiebas_prefix_dictionary(jieba_tokenizers: tuple[Any, Any]) -> None:
    tokenizer, pos_tokenizer = jieba_tokenizers
    table = read_word_table(dictionary_path())
    assert table.scores.keys() == tokenizer.FREQ.keys()
    log_total = math.log(tokenizer.total)
    assert table.unknown == math.log(1) - log_total
    for word, frequency in tokenizer.FREQ.items():
        expected = math.log(frequency) - log_total if frequency else None
        assert table.scores[word] == expected
    assert table.tags == pos_tokenizer.word_tag_tab


def test_word_table_is_cached_beside_the_dictionary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHEXTRACT_CACHE_DIR", str(tmp_path))
    built = word_table()
    cached = [path for path in tmp_path.iterdir() if ".table" in path.name]
    table_name = f"{dictionary_path().stem}.table{TABLE_VERSION}-{sys.implementation.cache_tag}"
    assert [path.name for path in cached] == [table_name]
    assert word_table() == built
    cached[0].write_bytes(b"not a table")
    assert word_table() == built  # a damaged cache is rebuilt
    assert word_table() == built


def test_ties_go_to_the_longer_first_word(tmp_path: Path) -> None:
    import jieba
    import jieba.posseg

    dictionary = tmp_path / "tie.txt"
    # 甲乙+丙 and 甲+乙丙 score exactly the same; jieba keeps the longer first word.
    dictionary.write_text("甲乙 1 a\n丙 1 b\n甲 1 c\n乙丙 1 d\n", encoding="utf-8")
    table = read_word_table(dictionary)
    assert table.unknown == -math.log(4)
    assert _dictionary_pieces(table, "甲乙丙丁", True) == [("甲乙", "a"), ("丙", "b"), ("丁", "x")]
    tokenizer = jieba.Tokenizer(dictionary=str(dictionary))
    tokenizer.tmp_dir = str(tmp_path)
    expected = jieba.posseg.POSTokenizer(tokenizer).cut("甲乙丙丁", HMM=False)
    assert [(pair.word, pair.flag) for pair in expected] == [
        ("甲乙", "a"),
        ("丙", "b"),
        ("丁", "x"),
    ]


def test_cut_words_is_unchanged_by_a_second_call() -> None:
    text = "主席梁君彥表示，利潤成長3.5%。"
    assert cut_words(text) == cut_words(text)
