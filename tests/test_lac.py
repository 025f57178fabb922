"""LAC's encoder run with numpy, its conversion, our tagger on it, and the default
pipeline that uses them."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

import zhextract
from zhextract.stages.entities.model import (
    widened_by_model,
    without_model_spans_across_names,
)
from zhextract.stages.entities.patterns import Candidate
from zhextract.stages.ner import lac, lac_tagger
from zhextract.train.lac_convert import convert, read_lod_tensor

HIDDEN = 4
EMBEDDING = 3


def write_lod_tensor(path: Path, array: np.ndarray, packed: bool = True, lod: int = 0) -> None:
    """A Paddle LoDTensor file, as LAC's model folder holds them."""
    dims = b"".join(_varint(size) for size in array.shape)
    if packed:
        desc = b"\x08\x05" + b"\x12" + _varint(len(dims)) + dims
    else:
        desc = b"\x08\x05" + b"".join(b"\x10" + _varint(size) for size in array.shape)
    levels = b"".join(struct.pack("<Q", 8) + struct.pack("<Q", 0) for _ in range(lod))
    path.write_bytes(
        struct.pack("<I", 0)
        + struct.pack("<Q", lod)
        + levels
        + struct.pack("<I", 0)
        + struct.pack("<i", len(desc))
        + desc
        + array.astype("<f4").tobytes()
    )


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


@pytest.mark.parametrize("packed", [True, False])
@pytest.mark.parametrize("lod", [0, 1])
def test_lod_tensors_are_read_with_their_shape(tmp_path: Path, packed: bool, lod: int) -> None:
    array = np.arange(300 * 2, dtype=np.float32).reshape(300, 2) / 7
    write_lod_tensor(tmp_path / "t", array, packed, lod)
    assert np.array_equal(read_lod_tensor(tmp_path / "t"), array)


def test_a_truncated_tensor_is_refused(tmp_path: Path) -> None:
    write_lod_tensor(tmp_path / "t", np.ones((4, 4), dtype=np.float32))
    (tmp_path / "t").write_bytes((tmp_path / "t").read_bytes()[:-4])
    with pytest.raises(ValueError, match="data bytes"):
        read_lod_tensor(tmp_path / "t")


@pytest.fixture(scope="module")
def tiny_lac(tmp_path_factory: pytest.TempPathFactory) -> lac.Lac:
    """A converted LAC of random weights over a six-entry vocabulary."""
    root = tmp_path_factory.mktemp("lac_model")
    model, conf = root / "model", root / "conf"
    model.mkdir()
    conf.mkdir()
    rng = np.random.default_rng(0)
    write_lod_tensor(model / "word_emb", rng.normal(size=(6, EMBEDDING)))
    for index in range(4):
        inputs = EMBEDDING if index < 2 else 2 * HIDDEN
        write_lod_tensor(model / f"fc_{index}.w_0", rng.normal(size=(inputs, 3 * HIDDEN)))
        write_lod_tensor(model / f"fc_{index}.b_0", rng.normal(size=(3 * HIDDEN,)))
        write_lod_tensor(model / f"gru_{index}.w_0", rng.normal(size=(HIDDEN, 3 * HIDDEN)))
        write_lod_tensor(model / f"gru_{index}.b_0", rng.normal(size=(1, 3 * HIDDEN)))
    write_lod_tensor(model / "fc_4.w_0", rng.normal(size=(2 * HIDDEN, 3)))
    write_lod_tensor(model / "fc_4.b_0", rng.normal(size=(3,)))
    write_lod_tensor(model / "crfw", rng.normal(size=(5, 3)))
    vocabulary = ["OOV", "中国", "中", "国", "人", "a"]
    (conf / "word.dic").write_text(
        "".join(f"{index}\t{word}\n" for index, word in enumerate(vocabulary)), encoding="utf-8"
    )
    (conf / "tag.dic").write_text("0\tn-B\n1\tPER-B\n2\tO\n", encoding="utf-8")
    (conf / "small_seg.dic").write_text("中国 10\n中国人 5\n国人 3\n", encoding="utf-8")
    (conf / "q2b.dic").write_text("國\t国\nＡ\ta\n", encoding="utf-8")
    out = root / "converted"
    convert(root, out)
    return lac.load_lac.__wrapped__(str(out))


def test_conversion_keeps_every_table(tiny_lac: lac.Lac) -> None:
    assert tiny_lac.embedding.shape == (6, EMBEDDING)
    assert tiny_lac.tags == ("n-B", "PER-B", "O")
    assert tiny_lac.unit_ids["中国"] == 1 and tiny_lac.unknown == 0
    assert tiny_lac.replacements == {"國": "国", "Ａ": "a"}
    forward = tiny_lac.layers[0][0]
    assert forward.gate_weight.shape == (HIDDEN, 2 * HIDDEN)
    assert forward.state_weight.shape == (HIDDEN, HIDDEN)


def test_paddle_gru_weights_are_split_as_one_buffer(tmp_path: Path) -> None:
    from zhextract.train.lac_convert import network_arrays

    weight = np.arange(HIDDEN * 3 * HIDDEN, dtype=np.float32).reshape(HIDDEN, 3 * HIDDEN)
    for index in range(5):
        inputs = EMBEDDING if index < 2 else 2 * HIDDEN
        outputs = 3 if index == 4 else 3 * HIDDEN
        write_lod_tensor(tmp_path / f"fc_{index}.w_0", np.zeros((inputs, outputs)))
        write_lod_tensor(tmp_path / f"fc_{index}.b_0", np.ones((outputs,)))
    for index in range(4):
        write_lod_tensor(tmp_path / f"gru_{index}.w_0", weight)
        write_lod_tensor(tmp_path / f"gru_{index}.b_0", np.ones((1, 3 * HIDDEN)))
    write_lod_tensor(tmp_path / "crfw", np.zeros((5, 3)))
    arrays = network_arrays(tmp_path)
    flat = weight.reshape(-1)
    gates = arrays["layer0.forward.gate_weight"]
    assert np.array_equal(gates, flat[: 2 * HIDDEN * HIDDEN].reshape(HIDDEN, 2 * HIDDEN))
    assert np.array_equal(
        arrays["layer0.forward.state_weight"], flat[2 * HIDDEN * HIDDEN :].reshape(HIDDEN, HIDDEN)
    )
    assert np.array_equal(arrays["layer1.backward.input_bias"], np.full(3 * HIDDEN, 2.0))


def test_lac_cut_takes_the_fewest_pieces_and_joins_latin_runs(tiny_lac: lac.Lac) -> None:
    assert lac.cut(tiny_lac, "中国人") == ["中国人"]
    assert lac.cut(tiny_lac, "中国国人") == ["中国", "国人"]
    assert lac.cut(tiny_lac, "ab1中") == ["ab1", "中"]


def test_units_use_words_of_the_vocabulary_else_characters(tiny_lac: lac.Lac) -> None:
    # 中國人 is projected to 中国人, cut whole, and not in the vocabulary: its characters
    # are the units; Ａ folds to A, which the vocabulary does not hold (it has a).
    ids, lengths = lac.units(tiny_lac, "中國人Ａ")
    assert ids.tolist() == [2, 3, 4, 0]
    assert lengths.tolist() == [1, 1, 1, 1]
    ids, lengths = lac.units(tiny_lac, "中國")
    assert ids.tolist() == [1] and lengths.tolist() == [2]


def _one_at_a_time(model: lac.Lac, ids: np.ndarray) -> np.ndarray:
    """The encoder written plainly: one sequence, one step at a time, no padding."""
    inputs = model.embedding[ids]
    for forward, backward in model.layers:
        outputs = []
        for gru, order in ((forward, range(len(ids))), (backward, reversed(range(len(ids))))):
            hidden = gru.state_weight.shape[0]
            state, rows = np.zeros(hidden), np.zeros((len(ids), hidden))
            for step in order:
                projected = inputs[step] @ gru.input_weight + gru.input_bias
                gates = 1 / (1 + np.exp(-(projected[: 2 * hidden] + state @ gru.gate_weight)))
                update, reset = gates[:hidden], gates[hidden:]
                candidate = np.tanh(projected[2 * hidden :] + (reset * state) @ gru.state_weight)
                state = (1 - update) * state + update * candidate
                rows[step] = state
            outputs.append(rows)
        inputs = np.concatenate(outputs, axis=1)
    return inputs


def test_batched_encoding_equals_one_sequence_at_a_time(tiny_lac: lac.Lac) -> None:
    rng = np.random.default_rng(1)
    sequences = [rng.integers(0, 6, size=length) for length in (1, 7, 3, lac.WINDOW, 0, 12)]
    encoded = lac.encode(tiny_lac, sequences)
    for ids, states in zip(sequences, encoded):
        assert states.shape == (len(ids), 2 * HIDDEN)
        if len(ids):
            np.testing.assert_allclose(states, _one_at_a_time(tiny_lac, ids), atol=1e-5)


def test_a_long_sequence_is_encoded_in_windows_with_context(tiny_lac: lac.Lac) -> None:
    ids = np.random.default_rng(2).integers(0, 6, size=3 * lac.CORE + 5)
    states = lac.encode(tiny_lac, [ids])[0]
    for start, end, keep_start, keep_end in lac._windows(len(ids)):
        window = _one_at_a_time(tiny_lac, ids[start:end])
        np.testing.assert_allclose(
            states[keep_start:keep_end], window[keep_start - start : keep_end - start], atol=1e-5
        )
    kept = [range(keep_start, keep_end) for _, _, keep_start, keep_end in lac._windows(len(ids))]
    assert [index for part in kept for index in part] == list(range(len(ids)))


def test_unit_positions() -> None:
    positions = lac.unit_positions(np.array([1, 3, 2, 1]))
    assert positions.tolist() == [3, 0, 1, 2, 0, 2, 3]


def test_the_shipped_lac_gives_its_own_names() -> None:
    found = lac.lac_spans(["台積電董事長魏哲家昨天在新竹表示", "", "百度是一家高科技公司"])
    text = "台積電董事長魏哲家昨天在新竹表示"
    assert [(text[start:end], label) for start, end, label in found[0]] == [
        ("台積電", "ORG"),
        ("魏哲", "PER"),
        ("新竹", "LOC"),
    ]
    assert found[1] == []
    assert found[2] == [(0, 2, "ORG")]


def test_knowledge_ids_by_label_source_and_position() -> None:
    labels = ("PERSON", "ORG")
    known = [Candidate(0, 3, "ORG", "gazetteer"), Candidate(4, 6, "PERSON", "jieba")]
    known.append(Candidate(6, 7, "EVENT", "pattern"))  # a label the tagger does not read
    ids = lac_tagger.knowledge_ids(8, known, labels)
    org_gazetteer = 1 + 2 * (1 * 3 + 0)
    person_jieba = 1 + 2 * (0 * 3 + 2)
    assert ids.tolist() == [org_gazetteer, org_gazetteer + 1, org_gazetteer + 1, 0] + [
        person_jieba,
        person_jieba + 1,
        0,
        0,
    ]
    assert lac_tagger.knowledge_size(labels) == 1 + 2 * 2 * 3


def test_tagger_spans_stay_in_sentences_and_on_word_edges() -> None:
    text = "  魏哲家昨天在新竹表示。\n川普今天抵達華府。  "
    from zhextract.stages.segment import cut_words

    tokens = cut_words(text)
    found = lac_tagger.predict(text, tokens)
    starts, ends = {start for start, _, _ in tokens}, {end for _, end, _ in tokens}
    sentence_break = text.index("\n")
    for start, end, label in found:
        assert label in ("PER", "LOC", "ORG")
        assert text[start:end] == text[start:end].strip() and start < end
        assert start in starts and end in ends
        assert not start < sentence_break < end
    assert (text.index("川普"), text.index("川普") + 2, "PER") in found


def test_a_sentence_longer_than_a_piece_is_encoded_in_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run with no sentence end is encoded LONGEST_PIECE characters at a time (its arrays
    stay small however long the run), and names inside each piece are still found."""
    monkeypatch.setattr(lac_tagger, "LONGEST_PIECE", 12)
    encoded: list[str] = []
    emissions = lac_tagger.emissions

    def noted(tagger: lac_tagger.LacTagger, texts: list[str], known: list) -> list:
        encoded.extend(texts)
        return emissions(tagger, texts, known)

    monkeypatch.setattr(lac_tagger, "emissions", noted)
    text = "魏哲家昨天在新竹表示要擴大投資而川普今天抵達華府會見各國領袖"
    found = lac_tagger.predict(text)
    assert "".join(encoded) == text
    assert [len(piece) for piece in encoded] == [12, 12, len(text) - 24]
    assert (text.index("新竹"), text.index("新竹") + 2, "LOC") in found
    assert (text.index("川普"), text.index("川普") + 2, "PER") in found


def test_model_spans_widen_a_known_name_only_with_name_words() -> None:
    text = "北京大學醫學部與日本首相訪問華府，陸委會主委"
    pos_at = [""] * len(text)
    visit = text.index("訪問")
    pos_at[visit : visit + 2] = ["v", "v"]
    known = [
        Candidate(0, 4, "ORG", "gazetteer"),
        Candidate(8, 10, "GPE", "gazetteer"),
        Candidate(visit + 2, visit + 4, "GPE", "gazetteer"),
        Candidate(text.index("陸委會"), text.index("陸委會") + 3, "ORG", "gazetteer"),
    ]
    found = [
        Candidate(0, 7, "ORG", "model"),  # 北京大學醫學部: wider, nouns
        Candidate(8, 12, "ORG", "model"),  # 日本首相: a title is not part of a name
        Candidate(visit, visit + 4, "GPE", "model"),  # 訪問華府: a verb
        Candidate(text.index("陸委會"), len(text), "ORG", "model"),  # 陸委會主委
    ]
    widened = widened_by_model(text, known, found, pos_at)
    assert sorted((text[item.start : item.end], item.source) for item in widened) == sorted(
        [("北京大學醫學部", "model"), ("日本", "gazetteer"), ("華府", "gazetteer")]
        + [("陸委會", "gazetteer")]
    )


def test_model_spans_that_cut_into_a_known_name_elsewhere_are_dropped() -> None:
    text = "強颱山陀兒逼近，山陀兒颱風明天登陸。"
    second = text.index("山陀兒", 4)
    chosen = [Candidate(3, 5, "PERSON", "model"), Candidate(second, second + 3, "EVENT", "pattern")]
    assert without_model_spans_across_names(text, chosen) == chosen[1:]


# What users saw when they first tried the tool, and more of each kind: the default
# pipeline (knowledge and the LAC tagger together).
DEFAULT_PIPELINE_CASES = [
    ("農糧署今天表示稻米價格穩定。", [("農糧署", "ORG")]),
    ("疾管署與國健署昨天聯合宣布。", [("疾管署", "ORG"), ("國健署", "ORG")]),
    ("演唱會在台北小巨蛋舉行，下個月移師高雄巨蛋。", [("台北小巨蛋", "FAC"), ("高雄巨蛋", "FAC")]),
    ("上市公司第三季EPS普遍成長。", []),
    ("財政部今天公布出口數據。", [("財政部", "ORG")]),
    ("經濟部能源署發布新的電價方案。", [("經濟部能源署", "ORG")]),
    ("國立政治大學國際關係研究中心舉辦座談。", [("國立政治大學國際關係研究中心", "ORG")]),
    ("山陀兒颱風預計明天登陸。", [("山陀兒", "EVENT")]),
    (
        "元大投顧分析師指出，台股仍有支撐；凱基證券看法相同。",
        [("元大投顧", "ORG"), ("凱基證券", "ORG")],
    ),
    ("日本豐田汽車宣布加碼投資。", [("日本", "GPE"), ("豐田汽車", "ORG")]),
    ("克里斯多福‧諾蘭的新片首映。", [("克里斯多福‧諾蘭", "PERSON")]),
    ("臺中市政府今天宣布新制。", [("臺中市政府", "ORG")]),
]


@pytest.mark.parametrize(("text", "expected"), DEFAULT_PIPELINE_CASES)
def test_default_pipeline_names(text: str, expected: list[tuple[str, str]]) -> None:
    found = [(item["text"], item["label"]) for item in zhextract.extract(text)["entities"]]
    assert found == expected


def test_default_pipeline_uses_the_lac_tagger_for_names_no_list_holds() -> None:
    record = zhextract.extract("許銘洋昨天在高雄與陳柏宇會面。")
    found = [(item["text"], item["label"], item["source"]) for item in record["entities"]]
    assert ("許銘洋", "PERSON", "model") in found
    assert ("陳柏宇", "PERSON", "model") in found
