"""jieba's character HMM (`jieba.finalseg.cut`) with a Viterbi that keeps back-pointers.

jieba's own Viterbi copies the whole best path of every state at every character, so a
run of n unknown characters costs n²/2 list copies (100,000 took minutes). This one keeps
one back-pointer per state and character and walks them back once: the same model, the
same arithmetic in the same order and the same tie-breaking (`max` over (score, state)
pairs), hence the same words (tests/test_segment.py compares the two).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jieba import finalseg

STATES = "BMES"
END_STATES = "ES"
HAN_BLOCK = re.compile("([\u4e00-\u9fd5]+)")  # finalseg's `re_han`
SKIP_BLOCK = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # finalseg's `re_skip`


def hmm_cut(text: str) -> Iterator[str]:
    """The words `jieba.finalseg.cut(text)` gives, in time linear in `text`."""
    for block in HAN_BLOCK.split(text):
        if HAN_BLOCK.match(block):
            for word in _han_words(block):
                if word in finalseg.Force_Split_Words:
                    yield from word
                else:
                    yield word
        else:
            yield from (part for part in SKIP_BLOCK.split(block) if part)


def _han_words(block: str) -> Iterator[str]:
    states = best_states(block)
    begin = following = 0
    for index, state in enumerate(states):
        if state == "B":
            begin = index
        elif state == "E":
            yield block[begin : index + 1]
            following = index + 1
        elif state == "S":
            yield block[index]
            following = index + 1
    if following < len(block):
        yield block[following:]


def best_states(observed: str) -> list[str]:
    """The most probable BMES state of each character, as `finalseg.viterbi` finds it."""
    start_p, trans_p, emit_p = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
    floor = finalseg.MIN_FLOAT
    scores = {state: start_p[state] + emit_p[state].get(observed[0], floor) for state in STATES}
    pointers: list[dict[str, str]] = []  # pointers[t - 1][state]: the state before, at t
    for char in observed[1:]:
        new_scores: dict[str, float] = {}
        back: dict[str, str] = {}
        for state in STATES:
            emitted = emit_p[state].get(char, floor)
            score, before = max(
                (scores[previous] + trans_p[previous].get(state, floor) + emitted, previous)
                for previous in finalseg.PrevStatus[state]
            )
            new_scores[state] = score
            back[state] = before
        pointers.append(back)
        scores = new_scores
    _, state = max((scores[state], state) for state in END_STATES)
    path = [state]
    for back in reversed(pointers):
        state = back[state]
        path.append(state)
    path.reverse()
    return path
