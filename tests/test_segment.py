"""Segment stage: word cuts on Traditional text, user dictionaries, offsets, eval scoring."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from zhextract.doc import Doc
from zhextract.eval.seg import Score, read_gold, score
from zhextract.stages.segment import (
    cut_words,
    make_segment_stage,
    segment_words,
    split_sentences,
    to_simplified,
)
from zhextract.stages.segment_lexicon import dictionary_path, project, split_words

# Sentences written for these tests; each expected cut is the full word list.
EXACT_CUTS = [
    ("我們的軟體在捷運上也能用", ["我們", "的", "軟體", "在", "捷運", "上", "也", "能", "用"]),
    ("這個問題很重要", ["這", "個", "問題", "很", "重要"]),
    ("他不是不能來", ["他", "不", "是", "不", "能", "來"]),
    ("利潤成長3.5%", ["利潤", "成長", "3.5%"]),
    ("利率是三．六％", ["利率", "是", "三．六％"]),
    ("ＡＢＣ公司說……好", ["ＡＢＣ", "公司", "說", "……", "好"]),
    ("兩國每年各派三名代表", ["兩", "國", "每", "年", "各派", "三", "名", "代表"]),
    ("這些人一樣好", ["這些", "人", "一樣", "好"]),
    ("化學物質很危險", ["化學", "物質", "很", "危險"]),
    ("祝你一帆風順", ["祝", "你", "一帆風順"]),
]

# Taiwan / Hong Kong words that must come out whole.
WHOLE_WORDS = [
    ("行政院今天召開會議", "行政院"),
    ("立法委員質詢陸委會主委", "陸委會"),
    ("他用隨身碟存檔", "隨身碟"),
    ("港府宣布新措施", "港府"),
    ("市民搭計程車回家", "計程車"),
    ("晶圓代工產能吃緊", "晶圓代工"),
]

# Text with spaces, newlines, Latin, full-width and mixed script, for offset checks.
OFFSET_TEXTS = [
    "台北市長說 Hello World 很好",
    "第一段。\n\n  第二段有 ＡＢＣ 與 12.5% 的成長",
    "　全形空白　之後",
    "   ",
    "a",
]


@pytest.mark.parametrize(("text", "expected"), EXACT_CUTS)
def test_exact_cuts(text: str, expected: list[str]) -> None:
    assert segment_words(text) == expected


@pytest.mark.parametrize(("text", "word"), WHOLE_WORDS)
def test_regional_vocabulary_is_one_word(text: str, word: str) -> None:
    assert word in segment_words(text)


@pytest.mark.parametrize("text", OFFSET_TEXTS)
def test_offsets_cover_text_without_whitespace(text: str) -> None:
    for with_pos in (True, False):
        cuts = cut_words(text, with_pos=with_pos)
        assert "".join(text[start:end] for start, end, _ in cuts) == re.sub(r"\s", "", text)
        assert all(not text[start:end].isspace() and start < end for start, end, _ in cuts)
        assert [start for start, _, _ in cuts] == sorted(start for start, _, _ in cuts)


def test_concatenation_equals_text_without_whitespace() -> None:
    text = "今(2025)年 2月 7 日，雙方同意提升合作；U.S. Steel 案仍待洽談。"
    assert "".join(segment_words(text)) == re.sub(r"\s", "", text)


def test_empty_text() -> None:
    assert segment_words("") == []
    assert cut_words("") == []
    assert split_sentences("") == []


def test_classifier_split_tags() -> None:
    assert cut_words("每年三名") == [(0, 1, "r"), (1, 2, "q"), (2, 3, "m"), (3, 4, "q")]


def test_pos_tags_come_from_the_dictionary() -> None:
    assert cut_words("台北下雨") == [(0, 2, "ns"), (2, 4, "v")]
    assert {tag for _, _, tag in cut_words("台北下雨", with_pos=False)} == {""}


# (text, hmm mode, expected cut): "content" guesses names in runs of single content
# characters but, unlike jieba's own HMM ("all"), never glues function characters.
HMM_CUTS = [
    ("主席梁君彥表示", "content", ["主席", "梁君彥", "表示"]),
    ("主席梁君彥表示", "off", ["主席", "梁", "君", "彥", "表示"]),
    ("主席梁君彥表示", "all", ["主席", "梁君彥", "表示"]),
    ("他是否來", "content", ["他", "是", "否", "來"]),
    ("他是否來", "all", ["他", "是", "否來"]),
]


@pytest.mark.parametrize(("text", "hmm", "expected"), HMM_CUTS)
def test_hmm_modes(text: str, hmm: str, expected: list[str]) -> None:
    assert segment_words(text, hmm=hmm) == expected
    with_pos = cut_words(text, with_pos=True, hmm=hmm)
    assert [text[start:end] for start, end, _ in with_pos] == expected


def test_unknown_hmm_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown hmm mode"):
        cut_words("文字", hmm="yes")


def write_user_dict(folder: Path) -> Path:
    path = folder / "words.txt"
    path.write_text("# 自訂詞\n晴空塔橋 100 ns\n鹹酥雞攤\n", encoding="utf-8")
    return path


def test_user_dict_adds_words(tmp_path: Path) -> None:
    text = "我在晴空塔橋旁的鹹酥雞攤"
    user_dict = write_user_dict(tmp_path)
    assert "晴空塔橋" not in segment_words(text)
    assert segment_words(text, user_dict=user_dict) == [
        "我",
        "在",
        "晴空塔橋",
        "旁",
        "的",
        "鹹酥雞攤",
    ]
    assert (2, 6, "ns") in cut_words(text, user_dict=user_dict)


def test_segment_stage_user_dict_setting(tmp_path: Path) -> None:
    text = "晴空塔橋很美。"
    doc = Doc.from_text(text)
    doc.text = text
    doc.paragraphs = [doc.span(0, len(text))]
    make_segment_stage(user_dict=str(write_user_dict(tmp_path)))(doc)
    assert [token["text"] for token in doc.tokens] == ["晴空塔橋", "很", "美", "。"]
    assert doc.tokens[0]["pos"] == "ns"
    assert doc.sentences == [{"start": 0, "end": len(text)}]


def test_split_sentences_trims_and_splits() -> None:
    text = " 第一句。第二句！\n第三句"
    assert [text[s:e] for s, e in split_sentences(text)] == ["第一句。", "第二句！", "第三句"]


def test_projection_keeps_length() -> None:
    text = "臺灣的ＡＩ發展，３．５％"
    assert to_simplified("臺灣的發展") == "台湾的发展"
    assert project(text) == "台湾的AI发展,3.5%"
    assert len(project(text)) == len(text)


def test_split_words_are_absent_from_the_dictionary() -> None:
    words = {line.split(" ")[0] for line in dictionary_path().read_text("utf-8").splitlines()}
    assert project("這個") in split_words()
    assert split_words().isdisjoint(words)
    assert project("軟體") in words


def test_unknown_lexicon_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown lexicon"):
        cut_words("文字", lexicon="nope")


def test_dictionary_is_cached_under_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHEXTRACT_CACHE_DIR", str(tmp_path))
    path = dictionary_path()
    assert path.parent == tmp_path and path.is_file()
    modified = path.stat().st_mtime_ns
    assert dictionary_path() == path and path.stat().st_mtime_ns == modified


def test_seed_tokens_match_text(seed_text: str) -> None:
    cuts = cut_words(seed_text)
    assert "".join(seed_text[start:end] for start, end, _ in cuts) == re.sub(r"\s", "", seed_text)
    assert all(tag for _, _, tag in cuts)


# --- evaluation helpers ---------------------------------------------------------------


def test_read_gold_sighan_and_conllu(tmp_path: Path) -> None:
    sighan = tmp_path / "gold.utf8"
    sighan.write_bytes("\ufeff我們　喜歡\r\n\r\n台北 下雨\r\n".encode())
    assert read_gold(sighan) == [["我們", "喜歡"], ["台北", "下雨"]]
    conllu = tmp_path / "gold.conllu"
    conllu.write_text(
        "# text = 他們來了\n1\t他們\t_\n2-3\t來了\t_\n2\t來\t_\n3\t了\t_\n\n", encoding="utf-8"
    )
    assert read_gold(conllu) == [["他們", "來", "了"]]


def test_score_counts_character_spans() -> None:
    result = Score()
    result.add(["我們", "喜歡", "你"], ["我", "們", "喜歡", "你"])
    assert (result.gold, result.predicted, result.correct) == (3, 4, 2)
    assert result.f1 == pytest.approx(2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3))
    perfect = score([["台北", "下雨"]], lambda text: ["台北", "下雨"])
    assert perfect.f1 == 1.0


def test_score_rejects_segmenters_that_change_text() -> None:
    with pytest.raises(ValueError, match="changed the text"):
        score([["台北"]], lambda text: ["台"])


def test_unwritable_cache_dir_falls_back_to_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("ZHEXTRACT_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    path = dictionary_path()
    assert path.parent == tmp_path / "tmp" / f"zhextract-{os.getuid()}" and path.is_file()
