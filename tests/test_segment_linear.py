"""The segmenter's long-run paths: symbol runs joined in one pass, and jieba's HMM with a
back-pointer Viterbi that must cut exactly as jieba's own."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jieba import finalseg

from zhextract.stages.segment import segment_words
from zhextract.stages.segment_hmm import best_states, hmm_cut

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FD5)
MIXED = st.text(
    alphabet=st.one_of(HAN, st.sampled_from(list("ab12.5%，x\u3400\uf900 "))), max_size=60
)


@settings(max_examples=200, deadline=None)
@given(MIXED)
def test_hmm_cut_is_jiebas_cut(text: str) -> None:
    assert list(hmm_cut(text)) == list(finalseg.cut(text))


def test_hmm_cut_matches_jieba_on_a_long_run() -> None:
    rng = random.Random(7)
    run = "".join(chr(rng.randrange(0x4E00, 0x9FD6)) for _ in range(3000))
    assert list(hmm_cut(run)) == list(finalseg.cut(run))


def test_best_states_ends_on_a_word_end() -> None:
    states = best_states("丂丄丅" * 50)
    assert len(states) == 150
    assert states[-1] in "ES"
    assert set(states) <= set("BMES")


@pytest.mark.parametrize("symbol", list("…—。「《（-=*.、"))
def test_a_long_run_of_one_symbol_is_one_token(symbol: str) -> None:
    assert segment_words(symbol * 20000) == [symbol * 20000]


def test_runs_of_different_symbols_stay_apart() -> None:
    assert segment_words("……——。。") == ["……", "——", "。。"]


def test_a_symbol_does_not_join_a_word_of_other_characters() -> None:
    words = segment_words("好" + "…" * 3)
    assert words == ["好", "…" * 3]


def test_runs_split_by_a_space_are_two_tokens() -> None:
    assert segment_words("…… ……") == ["……", "……"]


def test_a_decimal_after_a_long_digit_run_stays_one_token() -> None:
    assert segment_words("1" * 20000 + ".5%") == ["1" * 20000 + ".5%"]
    assert segment_words("約" + "2" * 20000 + ".5") == ["約", "2" * 20000 + ".5"]


def test_a_long_digit_run_without_a_point_is_not_joined_with_its_neighbours() -> None:
    words = segment_words("1" * 20000 + "，3.5")
    assert words[-2:] == ["，", "3.5"]
    assert "".join(words[:-2]) == "1" * 20000


def test_chinese_decimal_after_a_long_numeral_run() -> None:
    assert segment_words("三" * 5000 + ".五%") == ["三" * 5000 + ".五%"]
