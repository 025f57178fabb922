"""Export formats: each file is read back with the tool's own loader (or its documented
format) and must give the records' texts and non-overlapping entity, date and figure spans
with their values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from output_records import entity, figure, locate, make_record, span, write_outdir

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
    universal_pos,
)

SRC = Path(__file__).resolve().parents[1] / "src"

TEXT_A = "日本政府將對美國投資1兆美元，佔GDP的3%。\n美日同盟在2025年2月7日再次確認。"
TEXT_B = "世界衛生組織 WHO 表示，台積電 TSMC 將擴產。"
TEXT_C = "今天天氣很好。"
TEXT_D = "會議3月5日上午10時開始，下月再議。"

# What each record must export: (surface, label) in text order. "2025年" overlaps the
# longer date and is left out; the date "2025年2月7日" wins over the DATE figure of the same
# extent; a date with a time of day is TIME; an unresolved date is still a DATE span.
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
    TEXT_D: [("3月5日上午10時", "TIME"), ("下月", "DATE")],
}
# The ISO value each date span carries (None: unresolved).
EXPECTED_ISO = {"2025年2月7日": "2025-02-07", "3月5日上午10時": "2025-03-05T10:00", "下月": None}


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
        dates=[span(TEXT_A, "2025年2月7日", value="2025-02-07")],
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
    record_d = make_record(
        TEXT_D,
        dates=[
            span(TEXT_D, "3月5日上午10時", value="2025-03-05T10:00"),
            span(TEXT_D, "下月", value=None, reason="relative date with no reference date"),
        ],
        path="d.txt",
    )
    return [record_a, record_b, make_record(TEXT_C, path="c.txt"), record_d]


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
        "-DOCSTART- -X- O O\n\n美國 ns _ O\n投資 v _ O\n。 x _ O\n\n"
        "日本 ns _ B-ORG\n銀行 n _ I-ORG\n\n"
    )


def test_conll_value_column_holds_iso_dates_and_figure_values() -> None:
    text = "2025年4月出口成長3%至5%。"
    record = make_record(
        text,
        figures=[figure(text, "3%至5%", "PERCENT", [0.03, 0.05], "%")],
        dates=[span(text, "2025年4月", value="2025-04")],
    )
    rows = [line.split(" ") for line in to_conll([record]).splitlines() if line]
    assert {len(row) for row in rows} == {4}
    by_tag = {(row[0], row[3]): row[2] for row in rows if row[3] != "O"}
    assert set(by_tag.values()) == {"2025-04", "0.03..0.05"}
    assert all(row[2] == "_" for row in rows[1:] if row[3] == "O")
    assert [row[3] for row in rows if row[3] != "O"][0] == "B-DATE"


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
        tokens = {token["start"]: token["pos"] for token in record["tokens"]}
        for token in doc:
            if token.idx in tokens and not token.is_space:
                assert token.tag_ == tokens[token.idx]
                assert token.pos_ == universal_pos(token.tag_, token.text)


# Run in a fresh interpreter: only what the export's docstring tells a user to do.
RESTORE_SCRIPT = """
import json, sys
from spacy.tokens import DocBin
from spacy.vocab import Vocab
from zhextract.export import register_span_extensions

register_span_extensions()
docs = DocBin().from_disk(sys.argv[1]).get_docs(Vocab())
print(json.dumps([
    [[ent.text, ent.label_, ent._.value, ent._.unit, ent._.counted, ent._.approx, ent._.iso]
     for ent in doc.ents]
    for doc in docs
], ensure_ascii=False))
"""


def test_spacy_span_values_are_restored_after_loading(outdir: Path) -> None:
    pytest.importorskip("spacy")
    dest = export(outdir, "spacy", "train.spacy")
    shown = subprocess.run(
        [sys.executable, "-c", RESTORE_SCRIPT, str(dest)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    ).stdout
    first, _, _, last = json.loads(shown)
    assert ["1兆美元", "MONEY", 1000000000000, "USD", None, None, None] in first
    assert ["3%", "PERCENT", 0.03, "%", None, None, None] in first
    assert ["2025年2月7日", "DATE", None, None, None, None, "2025-02-07"] in first
    assert ["日本", "GPE", None, None, None, None, None] in first
    assert last == [
        ["3月5日上午10時", "TIME", None, None, None, None, "2025-03-05T10:00"],
        ["下月", "DATE", None, None, None, None, None],
    ]


@pytest.mark.parametrize(
    ("tag", "surface", "upos"),
    [
        ("ns", "臺北", "PROPN"),
        ("nr", "賴清德", "PROPN"),
        ("n", "經濟", "NOUN"),
        ("vn", "投資", "NOUN"),
        ("v", "表示", "VERB"),
        ("vshi", "是", "AUX"),
        ("uj", "的", "PART"),
        ("m", "三", "NUM"),
        ("p", "在", "ADP"),
        ("c", "和", "CCONJ"),
        ("eng", "TSMC", "X"),
        ("nrfg", "王", "PROPN"),
        ("vzz", "走", "VERB"),  # not in the table: its first letter decides
        ("x", "。", "PUNCT"),
        ("x", "「", "PUNCT"),
        ("x", "+", "SYM"),
        ("x", "2025", "NUM"),
        ("x", "ABC", "X"),
        ("", "，", "PUNCT"),
        ("", "㊣a", "X"),
        ("", " \n", "SPACE"),
    ],
)
def test_universal_pos_of_jieba_tags(tag: str, surface: str, upos: str) -> None:
    assert universal_pos(tag, surface) == upos


def test_displacy_round_trip_and_render(outdir: Path) -> None:
    pytest.importorskip("spacy")
    from spacy import displacy

    dest = export(outdir, "displacy", "displacy.json")
    loaded = json.loads(dest.read_text(encoding="utf-8"))
    assert [item["text"] for item in loaded] == [record["text"] for record in records()]
    assert [item["title"] for item in loaded] == ["甲", "b.txt", "c.txt", "d.txt"]
    dates = {
        item["text"][ent["start"] : ent["end"]]: ent["iso"]
        for item in loaded
        for ent in item["ents"]
        if ent["label"] in ("DATE", "TIME")
    }
    assert dates == EXPECTED_ISO
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
    originals = records()
    assert [row["text"] for row in rows] == [record["text"] for record in originals]
    for row, record in zip(rows, originals):
        assert sorted(row) == ["label", "meta", "text"]
        assert row["meta"]["record_id"] == record["id"]
        assert row["meta"]["path"] == record["source"]["path"]
        assert [tuple(label) for label in row["label"]] == expected_offsets(row["text"])
    values = {
        row["text"][start:end]: value for row in rows for start, end, value in row["meta"]["values"]
    }
    assert values["2025年2月7日"] == "2025-02-07"
    assert values["1兆美元"] == "1000000000000"
    assert "下月" not in values


# Characters outside the Basic Multilingual Plane: an emoji and a CJK Extension B character.
ASTRAL = "😀臺北市長𡘙先生說，日本很好。"


def astral_record() -> dict:
    return make_record(
        ASTRAL,
        entities=[entity(ASTRAL, "臺北市", "GPE"), entity(ASTRAL, "日本", "GPE")],
        path="astral.txt",
    )


def test_doccano_offsets_count_utf16_code_units(tmp_path: Path) -> None:
    outdir = write_outdir(tmp_path / "out", {"astral.json": astral_record()})
    (row,) = [
        json.loads(line)
        for line in export(outdir, "doccano", "d.jsonl").read_text("utf-8").splitlines()
    ]
    units = ASTRAL.encode("utf-16-le")
    surfaces = [units[2 * start : 2 * end].decode("utf-16-le") for start, end, _ in row["label"]]
    assert surfaces == ["臺北市", "日本"]
    assert [label[0] for label in row["label"]] != [
        locate(ASTRAL, "臺北市")[0],
        locate(ASTRAL, "日本")[0],
    ]


def test_label_studio_offsets_count_code_points(tmp_path: Path) -> None:
    outdir = write_outdir(tmp_path / "out", {"astral.json": astral_record()})
    (task,) = json.loads(export(outdir, "label-studio", "t.json").read_text("utf-8"))
    values = [result["value"] for result in task["predictions"][0]["result"]]
    assert [(value["start"], value["end"]) for value in values] == [
        locate(ASTRAL, "臺北市"),
        locate(ASTRAL, "日本"),
    ]
    assert [ASTRAL[value["start"] : value["end"]] for value in values] == ["臺北市", "日本"]


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
    assert content.count("-DOCSTART-") == 4
    assert {len(line.split(" ")) for line in content.splitlines() if line} == {4}
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
        f"wrote 4 document(s), 11 span(s) to {dest} (2 overlapping span(s) left out)\n"
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


def test_export_reads_a_records_jsonl_and_a_record_file(tmp_path: Path) -> None:
    originals = records()
    jsonl = tmp_path / "run" / "records.jsonl"
    jsonl.parent.mkdir()
    jsonl.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in originals), "utf-8"
    )
    from_jsonl = tmp_path / "all.jsonl"
    assert export_outputs(jsonl, "doccano", from_jsonl) == 0
    rows = [json.loads(line) for line in from_jsonl.read_text("utf-8").splitlines()]
    assert [row["meta"]["record_id"] for row in rows] == [record["id"] for record in originals]
    single = write_outdir(tmp_path / "one", {"d.json": originals[3]}) / "d.json"
    from_file = tmp_path / "one.jsonl"
    assert export_outputs(single, "doccano", from_file) == 0
    (row,) = [json.loads(line) for line in from_file.read_text("utf-8").splitlines()]
    assert row["text"] == TEXT_D
    assert export_outputs(tmp_path / "missing.jsonl", "doccano", tmp_path / "x.jsonl") == 1
    assert not (tmp_path / "x.jsonl").exists()
