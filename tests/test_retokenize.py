"""Retokenize stage: entities, figures and dates are whole tokens."""

from __future__ import annotations

import pytest

import zhextract
from zhextract.stages.retokenize import merge_tokens


@pytest.mark.parametrize(
    ("tokens", "spans", "expected"),
    [
        # A span inside one token splits it: 總統川普 -> 總統 | 川普.
        ([(0, 4, "n")], [(2, 4, "nr")], [(0, 2, "n"), (2, 4, "nr")]),
        # Tokens inside a span merge: 1 | 兆 | 美元 -> 1兆美元.
        ([(0, 1, "m"), (1, 2, "m"), (2, 4, "q")], [(0, 4, "m")], [(0, 4, "m")]),
        # A span across a token boundary takes both halves.
        ([(0, 2, "v"), (2, 4, "n")], [(1, 3, "ns")], [(0, 1, "v"), (1, 3, "ns"), (3, 4, "n")]),
        # Whitespace between tokens stays out; inside a span it belongs to the span.
        ([(0, 3, "eng"), (4, 9, "eng")], [(0, 9, "nr")], [(0, 9, "nr")]),
        ([(0, 1, "x"), (2, 3, "x")], [], [(0, 1, "x"), (2, 3, "x")]),
    ],
)
def test_merge_tokens(
    tokens: list[tuple[int, int, str]],
    spans: list[tuple[int, int, str]],
    expected: list[tuple[int, int, str]],
) -> None:
    length = max(end for _, end, _ in tokens)
    assert merge_tokens(length, tokens, spans) == expected


def test_no_entity_figure_or_date_is_split_across_tokens() -> None:
    text = "日本將對美投資 1 兆美元，美國總統川普（Joe Biden 的繼任者）於2025年2月7日會晤石破茂。"
    record = zhextract.extract(text)
    starts = {token["start"] for token in record["tokens"]}
    ends = {token["end"] for token in record["tokens"]}
    spans = record["entities"] + record["figures"] + record["dates"]
    assert {span["text"] for span in spans} >= {"1兆美元", "川普", "2025年2月7日", "石破茂"}
    for span in spans:
        assert span["start"] in starts and span["end"] in ends, span["text"]
        inside = [t for t in record["tokens"] if span["start"] <= t["start"] < span["end"]]
        assert [t["text"] for t in inside] == [span["text"]]
