"""Export formats: each file is read back with the tool's own loader (or its documented
format) and must give the records' texts and non-overlapping entity/figure spans."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from output_records import entity, figure, locate, make_record, write_outdir

from zhextract.export import (
    LabelledSpan,
    bio_tags,
    candidate_spans,
    export_outputs,
    label_studio_config_path,
    non_overlapping,
    record_spans,
    to_conll,
    token_pieces,
)

TEXT_A = "日本政府將對美國投資1兆美元，佔GDP的3%。\n美日同盟在2025年2月7日再次確認。"
TEXT_B = "世界衛生組織 WHO 表示，台積電 TSMC 將擴產。"
TEXT_C = "今天天氣很好。"

# What each record must export: (surface, label) in text order. "2025年" overlaps the
# longer DATE and is left out.
EXPECTED = {
    TEXT_A: [
        ("日本", "GPE"),
        ("美國", "GPE"),
        ("1兆美元", "MONEY"),
        ("3%", "PERCENT"),
        ("美日同盟", "ORG"),
        ("2025年2月7日", "DATE"),
    ],
    TEXT_B: [("世界衛生組織", "ORG"), ("WHO", "ORG"), ("台積電 TSMC", "ORG")],
    TEXT_C: [],
}


def records() -> list[dict]:
    record_a = make_record(
        TEXT_A,
        entities=[
            entity(TEXT_A, "日本", "GPE"),
            entity(TEXT_A, "美國", "GPE"),
            entity(TEXT_A, "美日同盟", "ORG"),
        ],
        figures=[
            figure(TEXT_A, "1兆美元", "MONEY", 1000000000000, "USD"),
            figure(TEXT_A, "3%", "PERCENT", 0.03, "%"),
            figure(TEXT_A, "2025年", "DATE", 2025),
            figure(TEXT_A, "2025年2月7日", "DATE", None),
        ],
        title="甲",
        path="a.txt",
    )
    record_b = make_record(
        TEXT_B,
        entities=[
            entity(TEXT_B, "世界衛生組織", "ORG"),
            entity(TEXT_B, "WHO", "ORG"),
            entity(TEXT_B, "台積電 TSMC", "ORG"),
        ],
        path="b.txt",
    )
    return [record_a, record_b, make_record(TEXT_C, path="c.txt")]


def expected_offsets(text: str) -> list[tuple[int, int, str]]:
    return [(*locate(text, surface), label) for surface, label in EXPECTED[text]]


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    named = {f"docs/{index}.json": record for index, record in enumerate(records())}
    return write_outdir(tmp_path / "out", named)


def export(outdir: Path, fmt: str, name: str) -> Path:
    dest = outdir.parent / "exported" / name
    assert export_outputs(outdir, fmt, dest) == 0
    return dest


# ---- span selection and tokens ---------------------------------------------------------


def test_longest_span_wins_and_entity_wins_a_tie() -> None:
    spans = [
        LabelledSpan(0, 2, "GPE", "ab"),
        LabelledSpan(0, 4, "ORG", "abcd"),
        LabelledSpan(4, 6, "ORG", "ef"),
        LabelledSpan(5, 7, "CARDINAL", "fg"),
        LabelledSpan(7, 8, "CARDINAL", "h"),
    ]
    assert non_overlapping(spans, 8) == [spans[1], spans[2], spans[4]]


def test_pieces_cut_tokens_at_span_edges_and_cover_the_text() -> None:
    record = {
        "text": "美國投資 AB。",
        "tokens": [
            {"start": 0, "end": 4, "text": "美國投資", "pos": "n"},
            {"start": 5, "end": 7, "text": "AB", "pos": "eng"},
        ],
        "sentences": [{"start": 0, "end": 8}],
    }
    spans = [LabelledSpan(0, 2, "GPE", "美國")]
    pieces = token_pieces(record, spans)
    assert [(p.start, p.end, p.pos, p.space) for p in pieces] == [
        (0, 2, "n", False),
        (2, 4, "n", False),
        (4, 5, "", True),
        (5, 7, "eng", False),
        (7, 8, "", False),  # "。" is in no token: cut per character
    ]
    assert bio_tags(pieces, spans) == ["B-GPE", "O", "O", "O", "O"]


def test_conll_text_for_a_small_record() -> None:
    record = {
        "text": "美國投資。日本 銀行",
        "tokens": [
            {"start": 0, "end": 2, "text": "美國", "pos": "ns"},
            {"start": 2, "end": 4, "text": "投資", "pos": "v"},
            {"start": 4, "end": 5, "text": "。", "pos": "x"},
            {"start": 5, "end": 7, "text": "日本", "pos": "ns"},
            {"start": 8, "end": 10, "text": "銀行", "pos": "n"},
        ],
        "sentences": [{"start": 0, "end": 5}, {"start": 5, "end": 10}],
        "entities": [{"start": 5, "end": 10, "text": "日本 銀行", "label": "ORG"}],
        "figures": [],
    }
    assert to_conll([record]) == (
        "-DOCSTART- -X- O O\n\n美國 O\n投資 O\n。 O\n\n日本 B-ORG\n銀行 I-ORG\n\n"
    )


# ---- round trips -------------------------------------------------------------------------


def test_spacy_docbin_round_trip(outdir: Path) -> None:
    pytest.importorskip("spacy")
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    dest = export(outdir, "spacy", "train.spacy")
    docs = list(DocBin().from_disk(dest).get_docs(Vocab()))
    originals = records()
    assert [doc.text for doc in docs] == [record["text"] for record in originals]
    for doc, record in zip(docs, originals):
        ents = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
        assert ents == expected_offsets(record["text"])
        assert doc.user_data["id"] == record["id"]
        sentence_starts = [sent.start_char for sent in doc.sents]
        assert sentence_starts == [item["start"] for item in record["sentences"]]


def test_displacy_round_trip_and_render(outdir: Path) -> None:
    pytest.importorskip("spacy")
    from spacy import displacy

    dest = export(outdir, "displacy", "displacy.json")
    loaded = json.loads(dest.read_text(encoding="utf-8"))
    assert [item["text"] for item in loaded] == [record["text"] for record in records()]
    assert [item["title"] for item in loaded] == ["甲", "b.txt", "c.txt"]
    for item in loaded:
        ents = [(ent["start"], ent["end"], ent["label"]) for ent in item["ents"]]
        assert ents == expected_offsets(item["text"])
    rendered = displacy.render(loaded, style="ent", manual=True, page=True)
    assert "1兆美元" in rendered
    assert rendered.count("<mark") == sum(len(spans) for spans in EXPECTED.values())


def test_doccano_jsonl_round_trip(outdir: Path) -> None:
    dest = export(outdir, "doccano", "doccano.jsonl")
    lines = dest.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert [row["text"] for row in rows] == [record["text"] for record in records()]
    for row in rows:
        assert sorted(row) == ["label", "text"]
        assert [tuple(label) for label in row["label"]] == expected_offsets(row["text"])


def test_label_studio_round_trip_matches_its_config(outdir: Path) -> None:
    dest = export(outdir, "label-studio", "tasks.json")
    tasks = json.loads(dest.read_text(encoding="utf-8"))
    config = ET.fromstring(label_studio_config_path(dest).read_text(encoding="utf-8"))
    labels_tag = config.find("Labels")
    text_tag = config.find("Text")
    assert labels_tag is not None and text_tag is not None
    assert text_tag.get("value") == "$text"
    assert [task["data"]["text"] for task in tasks] == [record["text"] for record in records()]
    used = set()
    for task in tasks:
        text = task["data"]["text"]
        (prediction,) = task["predictions"]
        spans = []
        for result in prediction["result"]:
            assert result["type"] == "labels"
            assert result["from_name"] == labels_tag.get("name")
            assert result["to_name"] == labels_tag.get("toName") == text_tag.get("name")
            value = result["value"]
            assert text[value["start"] : value["end"]] == value["text"]
            (label,) = value["labels"]
            spans.append((value["start"], value["end"], label))
            used.add(label)
        assert spans == expected_offsets(text)
    assert {label.get("value") for label in labels_tag.iter("Label")} == used


def test_conll_round_trip_with_spacy_reader(outdir: Path) -> None:
    pytest.importorskip("spacy")
    from spacy.training.converters import conll_ner_to_docs

    dest = export(outdir, "conll", "ner.conll")
    content = dest.read_text(encoding="utf-8")
    assert content.count("-DOCSTART-") == 3
    docs = list(conll_ner_to_docs(content, n_sents=0, no_print=True))
    originals = records()
    assert len(docs) == len(originals)
    for doc, record in zip(docs, originals):
        text = record["text"]
        assert "".join(token.text for token in doc) == "".join(text.split())
        ents = [("".join(ent.text.split()), ent.label_) for ent in doc.ents]
        assert ents == [("".join(surface.split()), label) for surface, label in EXPECTED[text]]
        assert len(list(doc.sents)) == len(record["sentences"])


# ---- command behaviour ------------------------------------------------------------------


def test_unknown_format_and_empty_dir_fail(tmp_path: Path, outdir: Path) -> None:
    assert export_outputs(outdir, "brat", tmp_path / "x") == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export_outputs(empty, "doccano", tmp_path / "x.jsonl") == 1
    assert not (tmp_path / "x.jsonl").exists()


def test_export_reports_left_out_overlaps(outdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = export(outdir, "doccano", "d.jsonl")
    assert capsys.readouterr().err == (
        f"wrote 3 document(s), 9 span(s) to {dest} (1 overlapping span(s) left out)\n"
    )


def test_seed_spacy_round_trip(seed_record: dict, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    spans = record_spans(seed_record)
    assert set(spans) <= set(candidate_spans(seed_record))
    assert all(left.end <= right.start for left, right in zip(spans, spans[1:]))
    outdir = write_outdir(tmp_path / "out", {"seed.json": seed_record})
    (doc,) = DocBin().from_disk(export(outdir, "spacy", "seed.spacy")).get_docs(Vocab())
    assert doc.text == seed_record["text"]
    assert [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents] == [
        (span.start, span.end, span.label) for span in spans
    ]


def test_export_warns_when_a_json_dest_is_inside_outdir(
    outdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = outdir / "displacy.json"
    assert export_outputs(outdir, "displacy", dest) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"note: {dest} is inside {outdir}; later reads of it will take it for a record"
    )
