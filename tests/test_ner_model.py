"""The shipped NER model: loads offline from the package, and its spans are exact."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from zhextract.eval import eval_dir
from zhextract.stages import ner
from zhextract.stages.ner.features import (
    CharWordTokenizer,
    char_bigrams,
    char_tokens,
    lexicon_features,
    word_features,
)
from zhextract.train.ner import prepare, score
from zhextract.train.ner_corpora import Sentence, decode_tags, to_traditional

SENTENCES = [
    "行政院長陳建仁昨天在臺北市主持會議。",
    "美國國務卿布林肯週二抵達東京，與日本外務大臣會談。",
    "台積電董事長魏哲家表示，公司將在高雄興建新廠。",
    "Apple 執行長 Tim Cook 上午抵達台北。\n\n  新聞稿全文如下：",
]


def test_model_is_shipped_inside_the_package() -> None:
    path = ner.model_path()
    assert (path / "config.cfg").is_file()
    assert ner.load_model() is ner.load_model()


def test_model_loads_and_predicts_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the NER model tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    ner.load_model.cache_clear()
    text = "總統府發言人今天表示，總統將出訪日本。"
    assert all(label in ner.LABELS for _, _, label in ner.predict(text))


@pytest.mark.parametrize("text", SENTENCES)
def test_spans_are_exact_offsets_with_known_labels(text: str) -> None:
    for start, end, label in ner.predict(text):
        assert 0 <= start < end <= len(text)
        assert label in ner.LABELS
        assert text[start:end] == text[start:end].strip()


def test_titled_person_and_city_are_found() -> None:
    text = SENTENCES[0]
    found = {(text[start:end], label) for start, end, label in ner.predict(text)}
    assert ("陳建仁", "PER") in found
    assert ("臺北市", "LOC") in found


def test_country_and_city_names_are_locations() -> None:
    text = "他去年從美國搬到日本，現在住在東京。"
    found = {(text[start:end], label) for start, end, label in ner.predict(text)}
    assert {("美國", "LOC"), ("日本", "LOC"), ("東京", "LOC")} <= found


def test_empty_and_blank_text() -> None:
    assert ner.predict("") == []
    assert ner.predict(" \n\t ") == []


def test_long_text_is_cut_at_line_breaks_with_exact_offsets() -> None:
    text = "\n".join(SENTENCES[:3])
    assert [offset for offset, _ in ner.chunks(text, 30)] == [0, 19, 45]
    assert "".join(piece for _, piece in ner.chunks(text, 30)) == text
    assert [piece for _, piece in ner.chunks("甲乙丙丁戊", 2)] == ["甲乙", "丙丁", "戊"]
    whole = ner.predict(text, chunk_chars=30)
    per_piece = [
        (offset + start, offset + end, label)
        for offset, piece in ner.chunks(text, 30)
        for start, end, label in ner.predict(piece)
    ]
    assert whole == per_piece
    assert all(text[start:end] == text[start:end].strip() for start, end, _ in whole)


def test_batched_prediction_matches_single() -> None:
    assert ner.predict_many(SENTENCES) == [ner.predict(text) for text in SENTENCES]


def test_char_tokens_keep_every_character_addressable() -> None:
    words, spaces, starts = char_tokens("AB  台\n北")
    assert words == ["A", "B", " ", "台", "\n", "北"]
    assert spaces == [False, True, False, False, False, False]
    assert starts == [0, 1, 3, 4, 5, 6]


def test_word_features_give_position_and_word_per_character() -> None:
    features = word_features("我們在臺北市")
    assert len(features) == 6
    assert [tag[0] for tag, _ in features[-3:]] == ["B", "M", "E"]
    assert features[-1][1] == "台北市"


def test_char_bigrams_are_simplified_and_end_with_a_line_break() -> None:
    assert char_bigrams("臺北市") == ["台北", "北市", "市\n"]
    assert char_bigrams("") == []


def test_lexicon_features_mark_the_longest_dictionary_name() -> None:
    text = "中國人民銀行行長"
    assert lexicon_features(text, frozenset({"nt"})) == ("Lex=B_nt",) + ("Lex=I_nt",) * 5 + ("", "")
    # with place names only, the organisation's leading country name is what matches
    assert lexicon_features(text, frozenset({"ns"})) == ("Lex=B_ns", "Lex=I_ns") + ("",) * 6
    assert lexicon_features("他說", frozenset({"ns", "nt"})) == ("", "")


def test_tokenizer_sets_bigram_and_lexicon_attributes() -> None:
    import spacy

    tokenizer = CharWordTokenizer(spacy.blank("zh").vocab, True, True, ["nt"])
    doc = tokenizer("中國人民銀行 行長")
    assert [token.text for token in doc] == list("中國人民銀行行長")
    assert [token.norm_ for token in doc][:2] == ["中国", "国人"]
    assert doc[5].norm_ == "行 "  # bigrams are read off the text, trailing space included
    assert [str(token.morph) for token in doc][:2] == ["Lex=B_nt", "Lex=I_nt"]
    assert str(doc[6].morph) == ""


def test_shipped_model_reads_the_features_it_was_trained_with() -> None:
    config = ner.load_model().config
    assert config["nlp"]["tokenizer"]["bigrams"] is True
    assert config["nlp"]["tokenizer"]["lexicon_tags"]
    embed = config["components"]["tok2vec"]["model"]["embed"]
    assert {"NORM", "MORPH"} <= set(embed["attrs"])
    assert ner.load_model().vocab.vectors.shape[1] > 0


def test_character_vectors_share_simplified_and_traditional_forms() -> None:
    from zhextract.train.ner_vectors import char_vectors

    keys, data = char_vectors(8)
    row = {key: index for index, key in enumerate(keys)}
    assert data.shape == (len(keys), 8)
    assert (data[row["國"]] == data[row["国"]]).all()
    assert not (data[row["國"]] == data[row["州"]]).all()
    assert all(char in row for char in "行政院長陳建仁臺北市")


def test_decode_tags_reads_iob2_and_bmes() -> None:
    pieces = ["李", "四", "在", "北", "京"]
    assert decode_tags(
        pieces, ["B-PER", "I-PER", "O", "B-LOC", "I-LOC"], {"PER": "PER", "LOC": "LOC"}
    ) == (Sentence("李四在北京", ((0, 2, "PER"), (3, 5, "LOC"))))
    assert decode_tags(
        pieces, ["B-NAME", "E-NAME", "O", "S-CONT", "S-CONT"], {"NAME": "PER", "CONT": "LOC"}
    ) == (Sentence("李四在北京", ((0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"))))
    assert decode_tags(["微", "软"], ["B-ORG", "I-ORG"], {}) == Sentence("微软", ())


def test_simplified_conversion_keeps_entity_offsets() -> None:
    converted = to_traditional(Sentence("他在软件园见到了张伟", ((2, 5, "LOC"), (8, 10, "PER"))))
    for start, end, _ in converted.entities:
        assert converted.text[start:end] in ("軟體園", "軟件園", "張偉")
    assert converted.text.endswith("張偉")


def test_score_is_exact_span_f1() -> None:
    gold = [[(0, 2, "PER"), (3, 5, "LOC")]]
    predicted = [[(0, 2, "PER"), (3, 4, "LOC"), (6, 8, "ORG")]]
    result = score(gold, predicted)
    assert result["ALL"]["p"] == pytest.approx(1 / 3)
    assert result["ALL"]["r"] == pytest.approx(1 / 2)
    assert result["PER"]["f1"] == 1.0
    assert result["LOC"]["f1"] == 0.0
    assert result["ORG"]["gold"] == 0


@pytest.mark.parametrize("held_out", ["gsd_dev", "gsd_test", "pud_test"])
def test_training_refuses_held_out_splits(held_out: str, tmp_path: Path) -> None:
    if eval_dir() is None:
        pytest.skip("evaluation data (../shared/eval) is absent")
    with pytest.raises(SystemExit, match="--extra"):
        prepare(tmp_path, ["msra_test", held_out], "s2twp")
    with pytest.raises(SystemExit, match="--extra"):
        prepare(tmp_path, ["msra_test:10", f"{held_out}:5"], "s2twp")
    assert not any(tmp_path.iterdir())
