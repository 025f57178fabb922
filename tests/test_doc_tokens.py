"""`Doc.token_tuples` is built once per token list and follows `doc.tokens` when the
list is replaced or grows."""

from __future__ import annotations

from zhextract.doc import Doc


def make_doc() -> Doc:
    doc = Doc.from_text("臺北市今天開會")
    doc.text = doc.raw
    return doc


def test_set_tokens_writes_spans_and_keeps_the_tuples() -> None:
    doc = make_doc()
    words = [(0, 3, "ns"), (3, 5, "t"), (5, 7, "v")]
    doc.set_tokens(words)
    assert doc.tokens[0] == {"text": "臺北市", "start": 0, "end": 3, "pos": "ns"}
    assert doc.token_tuples() is words
    assert doc.token_tuples() is words


def test_token_tuples_follow_a_replaced_or_longer_list() -> None:
    doc = make_doc()
    doc.set_tokens([(0, 3, "ns")])
    doc.tokens = [doc.span(0, 2, pos="n")]
    assert doc.token_tuples() == [(0, 2, "n")]
    doc.tokens.append(doc.span(2, 3))
    assert doc.token_tuples() == [(0, 2, "n"), (2, 3, "")]
