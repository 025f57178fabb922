"""The fuzz campaign's invariants, run on a modest number of examples in CI (the full
campaign: `python -m zhextract.fuzz --examples 100000`)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhextract.fuzz import ADVERSARIAL_UNITS, check_text, random_text, record_problems

# Runs of digits and Chinese numerals belong to the figures stage's own tests.
NON_NUMERAL_UNITS = [
    unit for unit in ADVERSARIAL_UNITS if unit not in ("1", "12.", "一", "十", "萬")
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_random_texts_hold_every_invariant(rng: random.Random) -> None:
    text = random_text(rng, 120, NON_NUMERAL_UNITS)
    assert check_text(text, seconds=60) == [], repr(text)


def test_the_invariants_catch_broken_records() -> None:
    import zhextract

    text = "臺北市今天開會。"
    record = zhextract.extract(text)
    assert record_problems(text, record) == []
    record["tokens"] = record["tokens"][1:]  # the first word in no token
    assert record_problems(text, record) == ["text '臺北市' before 3 in no token"]
    record = zhextract.extract("成長12.5%")
    record["figures"][0]["value"] = float("nan")
    assert "inexact value nan" in record_problems("成長12.5%", record)


def test_random_text_is_reproducible_and_bounded() -> None:
    first = [random_text(random.Random(5), 50) for _ in range(3)]
    assert first == [random_text(random.Random(5), 50) for _ in range(3)]
    assert all(len(text) <= 50 for text in first)
