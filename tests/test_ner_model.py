"""The shipped NER model: loads offline from the package, and its spans are exact."""

from __future__ import annotations

import itertools
import json
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from zhextract.stages import ner
from zhextract.stages.ner import network
from zhextract.stages.ner.features import (
    COLUMNS,
    NAME_TAGS,
    POSITIONS,
    Vocabulary,
    Words,
    bigram_rows,
    codes_of,
    encode,
    name_rows,
    shapes,
)
from zhextract.stages.ner.network import Weights
from zhextract.stages.ner.viterbi import LONG_RUN, OUTSIDE, best_tags, padded_lengths
from zhextract.stages.segment import cut_words
from zhextract.stages.segment_lexicon import project
from zhextract.train.ner import TAGS, example, passages
from zhextract.train.ner_corpora import Sentence, decode_tags, to_traditional

SENTENCES = [
    "行政院長陳建仁昨天在臺北市主持會議。",
    "美國國務卿布林肯週二抵達東京，與日本外務大臣會談。",
    "台積電董事長魏哲家表示，公司將在高雄興建新廠。",
    "Apple 執行長 Tim Cook 上午抵達台北。\n\n  新聞稿全文如下：",
]


def test_model_is_shipped_inside_the_package() -> None:
    path = ner.model_path()
    assert (path / "model.json").is_file()
    assert (path / "weights.npz").is_file()
    assert ner.load_model() is ner.load_model()
    assert ner.load_model().tags == TAGS


def test_a_model_trained_on_other_features_is_refused(tmp_path: Path) -> None:
    shutil.copytree(ner.model_path(), tmp_path / "model")
    settings_path = tmp_path / "model" / "model.json"
    settings = json.loads(settings_path.read_text(encoding="utf-8"))
    settings["columns"] = settings["columns"][:-1]
    settings_path.write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        ner.load_model(str(tmp_path / "model"))


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


def test_long_text_gives_the_same_spans_whatever_the_chunk_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "\n".join(SENTENCES * 3)
    whole = ner.predict(text)
    assert whole
    monkeypatch.setattr(network, "CHUNK_CHARS", 7)
    assert ner.predict(text) == whole


def test_segment_tokens_passed_in_give_the_same_spans() -> None:
    text = "\n".join(SENTENCES)
    assert ner.predict(text, cut_words(text)) == ner.predict(text)


def test_batched_prediction_matches_single() -> None:
    assert ner.predict_many(SENTENCES) == [ner.predict(text) for text in SENTENCES]


def _vocabulary() -> Vocabulary:
    return Vocabulary(
        chars="北台市我在", tags=("?", "ns", "p", "r", "x"), words=("台北市",), bigram_rows=97
    )


def test_features_have_a_row_per_character_and_column() -> None:
    text = "我們在臺北市 OK"
    features = encode(text, cut_words(text), _vocabulary())
    assert features.shape == (len(text), len(COLUMNS))
    assert features.dtype == np.int32
    column = {name: features[:, index].tolist() for index, name in enumerate(COLUMNS)}
    # 臺 reads as its Simplified form 台; 們 (们) is not in the vocabulary
    assert column["char"][:6] == [4, 0, 5, 2, 1, 3]
    assert column["shape"] == [1] * 6 + [4] + [2, 2]
    assert column["word"] == [0, 0, 0, 1, 1, 1, 0, 0, 0]
    ns = _vocabulary().tag_row("ns") * len(POSITIONS)
    assert column["word_tag"][3:6] == [ns + 1, ns + 2, ns + 3]  # B, M, E of 臺北市
    x = _vocabulary().tag_row("x") * len(POSITIONS)
    assert column["word_tag"][6] == x  # the space, in no token
    place = 1 + 2 * NAME_TAGS.index("ns")  # 台北市 is a place name in the dictionary
    assert column["name"] == [0, 0, 0, place, place + 1, place + 1, 0, 0, 0]


def test_name_column_marks_the_longest_dictionary_name() -> None:
    text = "中國人民銀行行長"
    organisation = 1 + 2 * NAME_TAGS.index("nt")
    expected = [organisation] + [organisation + 1] * 5 + [0, 0]
    assert name_rows(codes_of(project(text))).tolist() == expected
    assert name_rows(codes_of("他說")).tolist() == [0, 0]
    assert name_rows(codes_of("")).tolist() == []


def test_bigrams_pair_with_the_next_character_and_end_with_a_line_break() -> None:
    first = bigram_rows(codes_of("台北市"), 1 << 15)
    assert first[1] == bigram_rows(codes_of("北市"), 1 << 15)[0]
    assert first[2] == bigram_rows(codes_of("市\n"), 1 << 15)[0]
    assert first[0] != first[1]
    assert len(bigram_rows(codes_of(""), 8)) == 0


def test_shapes() -> None:
    assert shapes(codes_of("國a Z9，\u3000𠀋")).tolist() == [1, 2, 4, 2, 3, 0, 4, 1]


def _reference_scores(
    arrays: dict[str, np.ndarray], features: np.ndarray, dilations: list[int]
) -> np.ndarray:
    """The network written out loop by loop, as the PyTorch training code defines it."""
    hidden = (
        arrays["char_vectors"][features[:, 0]] @ arrays["vector_projection"] + arrays["input_bias"]
    )
    for index, column in enumerate(COLUMNS):
        hidden = hidden + arrays[f"embed_{column}"][features[:, index]]
    hidden = np.maximum(hidden, 0)
    width = hidden.shape[1]
    for layer, dilation in enumerate(dilations):
        weight, bias = arrays[f"conv{layer}_weight"], arrays[f"conv{layer}_bias"]
        mixed = np.zeros_like(hidden)
        for i in range(len(hidden)):
            total = bias + hidden[i] @ weight[:, width : 2 * width]
            if i - dilation >= 0:
                total = total + hidden[i - dilation] @ weight[:, :width]
            if i + dilation < len(hidden):
                total = total + hidden[i + dilation] @ weight[:, 2 * width :]
            mixed[i] = total
        hidden = hidden + np.maximum(mixed, 0)
    return hidden @ arrays["output_weight"] + arrays["output_bias"]


def _random_arrays(
    sizes: dict[str, int], width: int, dilations: list[int]
) -> dict[str, np.ndarray]:
    generator = np.random.default_rng(0)

    def random(*shape: int) -> np.ndarray:
        return generator.normal(0, 0.5, shape).astype(np.float32)

    arrays = {f"embed_{column}": random(sizes[column], width) for column in COLUMNS}
    arrays.update(char_vectors=random(sizes["char"], 4), vector_projection=random(4, width))
    arrays.update(input_bias=random(width), output_weight=random(width, 7), output_bias=random(7))
    arrays.update(transitions=random(7, 7), start=random(7), end=random(7))
    for layer in range(len(dilations)):
        arrays[f"conv{layer}_weight"] = random(width, 3 * width)
        arrays[f"conv{layer}_bias"] = random(width)
    return arrays


def test_numpy_network_matches_the_layer_by_layer_definition(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sizes = {"char": 30, "shape": 5, "bigram": 40, "word_tag": 12, "word": 6, "name": 13}
    dilations = [1, 2, 4]
    arrays = _random_arrays(sizes, 8, dilations)
    generator = np.random.default_rng(1)
    features = np.stack([generator.integers(0, sizes[c], 50) for c in COLUMNS], 1).astype(np.int32)
    expected = _reference_scores(arrays, features, dilations)
    weights = Weights.from_arrays(arrays, dilations)
    assert np.allclose(network.scores(weights, features), expected, atol=1e-4)
    monkeypatch.setattr(network, "CHUNK_CHARS", 9)  # chunks with context give the same scores
    assert np.allclose(network.scores(weights, features), expected, atol=1e-4)


def test_pytorch_network_exports_what_numpy_runs() -> None:
    torch = pytest.importorskip("torch")
    from zhextract.train.ner_network import Network

    sizes = {"char": 30, "shape": 5, "bigram": 40, "word_tag": 12, "word": 6, "name": 13}
    torch.manual_seed(0)
    net = Network(sizes, np.ones((30, 4), dtype=np.float32), 8, [1, 3], 7, 0.0).eval()
    features = np.stack([np.arange(20) % sizes[c] for c in COLUMNS], 1)
    with torch.no_grad():
        expected = net(torch.from_numpy(features)[None], torch.ones(1, 20, dtype=torch.bool))[0]
    weights = Weights.from_arrays(net.export(), [1, 3])
    assert np.allclose(network.scores(weights, features), expected.numpy(), atol=1e-5)


def _best_path_by_brute_force(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[int]:
    n, tags = emissions.shape
    best: tuple[float, tuple[int, ...]] | None = None
    for path in itertools.product(range(tags), repeat=n):
        total = start[path[0]] + end[path[-1]] + sum(emissions[i, path[i]] for i in range(n))
        total += sum(transitions[path[i - 1], path[i]] for i in range(1, n))
        if best is None or total > best[0]:
            best = (total, path)
    assert best is not None
    return list(best[1])


def test_viterbi_finds_the_best_path_with_plain_outside_characters_fixed_first() -> None:
    generator = np.random.default_rng(0)
    for _ in range(200):
        n = int(generator.integers(1, 7))
        emissions = generator.normal(0, 2, (n, 3)).astype(np.float32)
        emissions[generator.random(n) < 0.4, OUTSIDE] += 8  # some plainly outside
        transitions, start, end = (
            generator.normal(0, 1, shape).astype(np.float32) for shape in ((3, 3), 3, 3)
        )
        expected = _best_path_by_brute_force(emissions, transitions, start, end)
        assert best_tags(emissions, transitions, start, end).tolist() == expected
    assert best_tags(np.zeros((0, 3), np.float32), transitions, start, end).tolist() == []


def _best_path_by_dynamic_programming(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[int]:
    best = start + emissions[0]
    back = []
    for row in emissions[1:]:
        candidates = best[:, None] + transitions
        back.append(candidates.argmax(axis=0))
        best = candidates.max(axis=0) + row
    path = [int((best + end).argmax())]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    return path[::-1]


def test_viterbi_over_runs_longer_than_a_long_run_is_exact() -> None:
    generator = np.random.default_rng(1)
    for length in (LONG_RUN + 1, 1500, 2 * LONG_RUN + 3):
        emissions = generator.normal(0, 1, (length + 40, 3)).astype(np.float64)
        emissions[:20, OUTSIDE] += 50  # plainly outside, then one long open run
        transitions, start, end = (generator.normal(0, 1, shape) for shape in ((3, 3), 3, 3))
        expected = _best_path_by_dynamic_programming(emissions, transitions, start, end)
        assert best_tags(emissions, transitions, start, end).tolist() == expected


def test_long_runs_are_padded_by_at_most_an_eighth() -> None:
    lengths = np.array([1, 5, 9, 33, 1000, LONG_RUN, LONG_RUN + 1, 10_000, 20_000, 65_536])
    padded = padded_lengths(lengths).tolist()
    assert padded[:6] == [4, 8, 16, 64, 1024, 1024]  # short runs: powers of two
    assert padded[6:] == [1152, 10_240, 20_480, 65_536]
    assert all(length <= pad < length * 9 / 8 + 1 for length, pad in zip(lengths[6:], padded[6:]))


def test_decode_turns_tags_into_spans() -> None:
    tagged = [(0, "B-PER"), (1, "I-PER"), (2, "I-LOC"), (4, "I-ORG"), (5, "B-ORG"), (6, "I-ORG")]
    assert ner.decode(tagged) == [(0, 2, "PER"), (2, 3, "LOC"), (4, 5, "ORG"), (5, 7, "ORG")]
    assert ner.decode([]) == []


def test_span_edges_inside_a_word_move_to_the_nearer_end_of_it() -> None:
    words = Words.of([(0, 3, "nr"), (3, 5, "t"), (5, 9, "ns"), (9, 10, "x")])
    assert ner.snapped([(0, 4, "PER")], words) == [(0, 3, "PER")]  # 林志玲昨|天: shrink
    assert ner.snapped([(6, 10, "LOC")], words) == [(5, 10, "LOC")]  # one char short of 5
    assert ner.snapped([(7, 10, "LOC")], words) == [(9, 10, "LOC")]  # a tie shrinks
    assert ner.snapped([(6, 8, "ORG")], words) == [(5, 9, "ORG")]  # most of one word
    assert ner.snapped([(7, 8, "ORG")], words) == []  # nothing left
    assert ner.snapped([(0, 5, "PER")], words) == [(0, 5, "PER")]
    assert ner.snapped([(2, 4, "PER")], Words.of([])) == [(2, 4, "PER")]


def test_character_vectors_cover_the_projected_characters() -> None:
    from zhextract.train.ner_vectors import char_vectors

    vectors = char_vectors(8)
    assert all(vector.shape == (8,) for vector in vectors.values())
    assert not (vectors["国"] == vectors["州"]).all()
    assert all(char in vectors for char in project("行政院長陳建仁臺北市"))


def test_training_passages_keep_entity_offsets() -> None:
    sentences = [Sentence("李四在北京。", ((0, 2, "PER"), (3, 5, "LOC"))), Sentence("他好。", ())]
    sentences.append(Sentence("台積電很大。", ((0, 3, "ORG"),)))
    joined = passages(sentences, 2)
    assert [item.text for item in joined] == ["李四在北京。他好。", "台積電很大。"]
    assert all(
        item.text[s:e] in ("李四", "北京", "台積電") for item in joined for s, e, _ in item.entities
    )
    tags = example(joined[1]).tags.tolist()
    assert [TAGS[tag] for tag in tags] == ["B-ORG", "I-ORG", "I-ORG", "O", "O", "O"]


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


def test_training_never_reads_the_reported_test_sets() -> None:
    from zhextract.train import ner as training

    assert training.TRAINING_CORPORA == ("gsd_train",)
    assert training.SELECTION_CORPUS == "gsd_dev"
    assert {*training.TRAINING_CORPORA, training.SELECTION_CORPUS}.isdisjoint(training.HELD_OUT)
