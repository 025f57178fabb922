"""The facts stage: predicate, subject, object, time, change, polarity and modality of
each figure, on sentences written for these tests (and the seed document, where present)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import zhextract
from zhextract.record import offset_errors, validate

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_beb807c6142ff2a5.txt"


def facts_of(text: str, pipeline: str = "fast") -> dict[str, dict[str, Any]]:
    """Facts keyed by their figure's text."""
    record = zhextract.load(pipeline)(text, doc_date="2025-03-05")
    assert validate(record) == []
    return {record["figures"][fact["figure"]]["text"]: fact for fact in record["facts"]}


def name(party: dict[str, Any] | None) -> str | None:
    return None if party is None else party["name"] or party["text"]


def test_investment_with_target_short_name_and_plan() -> None:
    fact = facts_of("韓國將對美投資2,000億美元。")["2,000億美元"]
    assert fact["predicate"]["text"] == "投資"
    assert fact["predicate"]["class"] == "invest"
    assert name(fact["subject"]) == "韓國"
    assert fact["object"]["text"] == "美"
    assert fact["object"]["name"] == "美國"
    assert fact["object"]["role"] == "target"
    assert fact["modality"] == "planned"
    assert fact["modality_cue"]["text"] == "將"


def test_without_a_plan_cue_the_fact_is_asserted_and_has_no_object() -> None:
    fact = facts_of("韓國去年投資2,000億美元。")["2,000億美元"]
    assert fact["modality"] == "asserted"
    assert fact["modality_cue"] is None
    assert fact["object"] is None
    assert fact["time"]["text"] == "去年"
    assert fact["time"]["value"] == "2024"


def test_change_from_and_to_with_direction() -> None:
    facts = facts_of("泰國央行把政策利率從2.5%調降至2.25%。")
    for text in ("2.5%", "2.25%"):
        change = facts[text]["change"]
        assert change["direction"] == "decrease"
        assert change["from"]["text"] == "2.5%"
        assert change["to"]["text"] == "2.25%"
        assert facts[text]["predicate"]["lemma"] == "調降"
        assert facts[text]["subject"]["text"] == "泰國央行"


def test_a_level_has_no_change_and_a_movement_without_ends_has_only_a_direction() -> None:
    facts = facts_of("友達去年營收為2,800億元，年減5%。")
    assert facts["2,800億元"]["change"] is None
    assert facts["2,800億元"]["predicate"]["class"] == "level"
    assert facts["5%"]["change"] == {"direction": "decrease", "from": None, "to": None}


def test_negation_glued_to_the_predicate() -> None:
    fact = facts_of("該計畫今年支出未達30億元。")["30億元"]
    assert fact["polarity"] == "negative"
    assert fact["negation"]["text"] == "未"
    assert fact["predicate"]["lemma"] == "達"
    assert facts_of("該計畫今年支出達30億元。")["30億元"]["polarity"] == "positive"


def test_reported_speech_gives_the_speaker_not_the_subject() -> None:
    fact = facts_of("經濟部表示，今年外銷訂單金額達600億美元。")["600億美元"]
    assert fact["reported"]["verb"]["text"] == "表示"
    assert name(fact["reported"]["speaker"]) == "經濟部"
    assert fact["subject"]["text"] == "外銷訂單金額"
    assert fact["subject"]["label"] is None
    assert facts_of("今年外銷訂單金額達600億美元。")["600億美元"]["reported"] is None


def test_expected_modality() -> None:
    fact = facts_of("主計總處預估今年經濟成長率可望達3.2%。")["3.2%"]
    assert fact["modality"] == "expected"
    assert fact["modality_cue"]["text"] == "可望"


def test_company_anaphor_resolves_to_the_previous_sentence() -> None:
    facts = facts_of("台積電昨日召開法說會。該公司今年資本支出預計為380億美元。")
    subject = facts["380億美元"]["subject"]
    assert subject["name"] == "台積電"
    assert subject["mention"]["text"] == "該公司"


def test_an_anaphor_never_resolves_to_an_entity_of_another_kind() -> None:
    fact = facts_of("川普昨日發表演說。該公司今年資本支出預計為380億美元。")["380億美元"]
    assert name(fact["subject"]) != "川普"
    assert fact["subject"]["text"] == "資本支出"


def test_omitted_subject_comes_from_the_earlier_clause() -> None:
    facts = facts_of("越南去年出口達4,000億美元，成長14%。")
    assert name(facts["14%"]["subject"]) == "越南"
    assert facts["14%"]["time"]["text"] == "去年"


def test_comparison_base_date_is_not_the_time() -> None:
    fact = facts_of("今年前兩月出口較去年同期成長12%。")["12%"]
    assert fact["time"]["text"] == "今年"
    fact = facts_of("出口較去年同期成長12%。")["12%"]
    assert fact["time"] is None


def test_partner_and_source_prepositions() -> None:
    fact = facts_of("臺灣自日本進口增加7%。")["7%"]
    assert name(fact["object"]) == "日本"
    assert fact["object"]["role"] == "source"
    fact = facts_of("臺灣與美國的貿易額去年達1,500億美元。")["1,500億美元"]
    assert name(fact["object"]) == "美國"
    assert fact["object"]["role"] == "partner"
    assert name(fact["subject"]) == "臺灣"


def test_share_predicate() -> None:
    fact = facts_of("再生能源占全國發電量的12%。")["12%"]
    assert fact["predicate"]["class"] == "share"


def test_a_figure_with_no_verb_in_its_clause_has_no_fact() -> None:
    assert facts_of("第三季，12%。") == {}


def test_every_fact_span_is_an_exact_slice_of_the_text() -> None:
    text = "日本將對美投資1兆美元，創造100萬個就業機會；英國央行將利率從5%降至4.75%。"
    record = zhextract.load("fast")(text)
    assert record["facts"]
    assert offset_errors(record) == []
    broken = dict(record)
    fact = dict(record["facts"][0])
    fact["predicate"] = {**fact["predicate"], "text": "錯"}
    broken["facts"] = [fact]
    assert offset_errors(broken) != []


def test_a_record_of_schema_1_0_without_facts_still_validates() -> None:
    record = zhextract.load("fast")("出口成長5%。")
    record["schema_version"] = "1.0"
    del record["facts"]
    assert validate(record) == []


@pytest.mark.skipif(not SEED.is_file(), reason="the seed document is not in ../shared")
def test_seed_document_facts_a_reader_agrees_with() -> None:
    record = zhextract.load("default")(SEED.read_text(encoding="utf-8"))
    rows = set()
    for fact in record["facts"]:
        figure = record["figures"][fact["figure"]]["text"]
        obj = name(fact["object"])
        rows.add((figure, fact["predicate"]["text"], name(fact["subject"]), obj))
    expected = {
        ("1兆美元", "投資", "日本", "美國"),  # 日本將對美投資1兆美元
        ("100萬", "創造", "日本", None),  # 創造100萬就業機會
        ("1兆美元", "投資", "石破茂", "美國"),  # 石破茂提出對美投資1兆美元
        ("每個月2次", "進入", "中國", None),  # 中國現在每個月2次進入該海域
        ("2至4艘", "派遣", "中國", None),  # 每次派遣2至4艘海警局巡邏船
        ("上百項", "簽署", "川普", None),  # 他已簽署上百項行政命令
        ("5,000億美元", "籌集", "川普", None),  # 川普已經召集…籌集5,000億美元
        ("2,000億歐元", "籌資", "歐盟", None),  # 歐盟…也籌資2,000億歐元
    }
    assert expected <= rows
    pronoun = [f for f in record["facts"] if f["subject"] and f["subject"].get("mention")]
    assert {(f["subject"]["mention"]["text"], f["subject"]["name"]) for f in pronoun} >= {
        ("他", "川普")
    }


def test_export_csv_writes_one_row_per_fact(tmp_path: Path) -> None:
    import csv
    import json

    from zhextract.export import export_outputs

    record = zhextract.load("fast")("韓國將對美投資2,000億美元，出口年減5%。")
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "doc.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    dest = tmp_path / "facts.csv"
    assert export_outputs(tmp_path / "runs", "csv", dest) == 0
    with dest.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["figure"], row["subject"], row["predicate"], row["object"]) for row in rows] == [
        ("2,000億美元", "韓國", "投資", "美國"),
        ("5%", "出口", "年減", ""),
    ]
    assert rows[0]["value"] == "200000000000"
    assert rows[0]["modality"] == "planned"
    assert rows[1]["direction"] == "decrease"


def test_review_page_lists_each_fact_under_its_document() -> None:
    from zhextract.review import fact_rows

    record = zhextract.load("fast")("韓國將對美投資2,000億美元。")
    rows = fact_rows(record)
    assert len(rows) == 1
    assert "<td>韓國</td><td>投資 (invest)</td><td>美國</td><td>2,000億美元</td>" in rows[0]
    assert fact_rows({"figures": [], "facts": []}) == []


@pytest.mark.parametrize(
    "text",
    [
        "成長" + "5%" * 2000,  # figures with no punctuation between them
        "（（（出口達5%",  # brackets that never close
        "出口）））達5%",  # brackets that never open
        "該公司雙方他我國將未達",  # cues and anaphora, no figure
        "5%。" * 50,  # figures alone
    ],
)
def test_odd_text_gives_valid_records(text: str) -> None:
    record = zhextract.load("fast")(text)
    assert validate(record) == []
    assert all(0 <= fact["figure"] < len(record["figures"]) for fact in record["facts"])


def test_a_name_after_the_predicate_is_its_object_unless_it_qualifies_a_noun() -> None:
    fact = facts_of("鴻海去年收購夏普3成股權。")["3成"]
    assert name(fact["object"]) == "夏普"
    fact = facts_of("共機昨日共20架次進入臺灣西南空域。")["20架次"]
    assert fact["object"] is None


def test_show_prints_a_facts_table() -> None:
    from zhextract.show import render

    record = zhextract.load("fast")("韓國將對美投資2,000億美元。")
    lines = [line.split() for line in render(record).splitlines()]
    assert ["韓國", "投資", "(invest)", "美國", "2,000億美元", "planned"] in lines
    record["facts"] = []
    assert "Facts: none" in render(record)
