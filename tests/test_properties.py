"""Property tests: arbitrary Unicode in, no exception, exact offsets out."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zhextract
from zhextract.record import offset_errors
from zhextract.stages.normalize import normalize_text

CJK_HEAVY = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            list("　 \n\r\t。，、「」（）()一二三十百千萬億兆零兩年月日第至約近逾美元臺北川普")
        ),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(codec="utf-8"),
        st.sampled_from(list("0123456789０１２.,%％-$")),
    ),
    max_size=120,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CJK_HEAVY)
def test_extract_never_fails_and_offsets_hold(text: str) -> None:
    record = zhextract.extract(text)
    assert offset_errors(record) == []
    for name in ("tokens", "entities", "figures", "dates", "sentences", "paragraphs"):
        for item in record[name]:
            assert 0 <= item["source_start"] <= item["source_end"] <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_offset_map_is_monotonic_and_in_range(text: str) -> None:
    normalized, offsets, spans = normalize_text(text)
    assert len(offsets) == len(normalized) + 1
    assert offsets == sorted(offsets)
    assert all(0 <= offset <= len(text) + 1 for offset in offsets)
    for start, end in spans:
        assert 0 <= start < end <= len(normalized)
