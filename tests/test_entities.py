"""Entities stage: gazetteer, patterns, span invariants, and the seed document's score."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import zhextract
from zhextract.eval.ner import Score, _sentence, read_gold_tsv, score_seed
from zhextract.registry import get_stage
from zhextract.stages.entities import LABELS, find_entities, unify_labels
from zhextract.stages.entities.gazetteer import gazetteer
from zhextract.stages.entities.model import model_candidates
from zhextract.stages.entities.patterns import Candidate

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_beb807c6142ff2a5.txt"
SEED_GOLD = Path(__file__).resolve().parent / "data" / "seed_entities.tsv"


def knowledge_only(text: str) -> dict:
    """The record of the `fast` pipeline: the gazetteers and patterns these tests are
    about, without the statistical model the default pipeline adds (tests/test_lac.py)."""
    return zhextract.load("fast")(text)


def entities(text: str) -> list[tuple[str, str]]:
    return [(item["text"], item["label"]) for item in knowledge_only(text)["entities"]]


def test_stage_contract() -> None:
    info = get_stage("entities")
    assert info.requires == ("text",)
    assert info.provides == ("entities",)


def test_spans_are_sorted_disjoint_and_match_the_text() -> None:
    text = "日本首相石破茂在華府與美國總統川普(Donald Trump)會晤，中國外交部提出抗議。"
    record = knowledge_only(text)
    found = record["entities"]
    assert [item["start"] for item in found] == sorted(item["start"] for item in found)
    for left, right in zip(found, found[1:]):
        assert left["end"] <= right["start"]
    for item in found:
        assert record["text"][item["start"] : item["end"]] == item["text"]
        assert item["label"] in LABELS
        assert item["source"] in ("gazetteer", "pattern", "jieba", "consistency")


def test_gazetteer_people_places_and_organizations() -> None:
    assert entities("川普與拜登在華府會晤，習近平則在北京。") == [
        ("川普", "PERSON"),
        ("拜登", "PERSON"),
        ("華府", "GPE"),
        ("習近平", "PERSON"),
        ("北京", "GPE"),
    ]


def test_gazetteer_accepts_both_tai_spellings() -> None:
    assert entities("台灣與臺北、臺灣與台北") == [
        ("台灣", "GPE"),
        ("臺北", "GPE"),
        ("臺灣", "GPE"),
        ("台北", "GPE"),
    ]


def test_seas_straits_and_regions_are_loc_countries_gpe() -> None:
    assert entities("菲律賓在南海與巴士海峽巡邏，關注印太與亞太。") == [
        ("菲律賓", "GPE"),
        ("南海", "LOC"),
        ("巴士海峽", "LOC"),
        ("印太", "LOC"),
        ("亞太", "LOC"),
    ]


def test_latin_abbreviations_match_whole_words_only() -> None:
    assert entities("台灣不在北約、G7、WHO與APEC之外，Whoever不是。") == [
        ("台灣", "GPE"),
        ("北約", "ORG"),
        ("G7", "ORG"),
        ("WHO", "ORG"),
        ("APEC", "ORG"),
    ]


def test_unlisted_acronym_is_org_unless_a_common_term() -> None:
    assert entities("CRTC要求業者說明AI與GDP的關係。") == [("CRTC", "ORG")]


def test_two_character_name_must_line_up_with_a_word() -> None:
    assert ("海地", "GPE") not in entities("颱風影響沿海地區。")
    assert entities("海地發生地震。") == [("海地", "GPE")]


def test_title_and_unknown_chinese_name() -> None:
    assert entities("外交部發言人林小華表示，韓國總統李大明訪問東京。") == [
        ("外交部", "ORG"),
        ("林小華", "PERSON"),
        ("韓國", "GPE"),
        ("李大明", "PERSON"),
        ("東京", "GPE"),
    ]


def test_name_written_before_its_title() -> None:
    text = "喬治王子與王小明先生會面，他是總統。"
    tokens = [(0, 2, "nrt"), (2, 4, "n"), (4, 5, "p"), (5, 8, "nr"), (8, 10, "n")]
    tokens += [(10, 12, "v"), (12, 13, "x"), (13, 14, "r"), (14, 15, "v"), (15, 17, "n")]
    found = find_entities(text, tokens)
    assert [(text[item.start : item.end], item.label) for item in found] == [
        ("喬治", "PERSON"),
        ("王小明", "PERSON"),
    ]


def test_title_name_length_follows_jieba_before_a_function_word() -> None:
    assert entities("部長王小明和總理李大華說") == [("王小明", "PERSON"), ("李大華", "PERSON")]
    assert entities("司長李明和部長") == [("李明", "PERSON")]


def test_title_and_foreign_name_closed_by_punctuation() -> None:
    assert entities("首席公使佐藤健，昨天抵達。") == [("佐藤健", "PERSON")]


def test_lexicalised_titles_and_title_inside_a_word_give_nothing() -> None:
    assert entities("外長和國防部長盡快舉行會議，記者會上，他說。") == []


def test_latin_gloss_takes_the_label_of_the_name_before_it() -> None:
    assert entities("法國總統馬克宏(Emmanuel Macron)表示支持。") == [
        ("法國", "GPE"),
        ("馬克宏", "PERSON"),
        ("Emmanuel Macron", "PERSON"),
    ]
    assert entities("小布希（George W. Bush）總統") == [
        ("小布希", "PERSON"),
        ("George W. Bush", "PERSON"),
    ]


def test_quoted_company_and_its_gloss_are_org() -> None:
    assert entities("他反對收購「台灣鋼鐵公司」(Taiwan Steel)一案。") == [
        ("台灣鋼鐵公司", "ORG"),
        ("Taiwan Steel", "ORG"),
    ]


def test_quoted_names_by_their_last_word() -> None:
    assert entities("他出席「亞洲和平研究中心」的「年度座談會」。") == [("亞洲和平研究中心", "ORG")]


def test_organization_ending_reaches_back_over_nouns_to_a_proper_word() -> None:
    text = "由信昌工程有限公司承建，這家公司很大。"
    tokens = [(0, 1, "p"), (1, 3, "x"), (3, 5, "n"), (5, 7, "a"), (7, 9, "n"), (9, 11, "v")]
    tokens += [(11, 12, "x"), (12, 13, "r"), (13, 14, "q"), (14, 16, "n"), (16, 17, "d")]
    tokens += [(17, 18, "a"), (18, 19, "x")]
    found = find_entities(text, tokens)
    assert [(text[item.start : item.end], item.label) for item in found] == [
        ("信昌工程有限公司", "ORG")
    ]


def test_org_suffix_needs_a_proper_head() -> None:
    text = "他畢業於高雄醫學大學，目前在世界三大軟體公司之一工作，該公司很大。"
    assert entities(text) == [("高雄醫學大學", "ORG")]


def test_country_and_parent_body_join_the_organization() -> None:
    assert entities("中國外交部亞洲司與日本駐中國大使館會面。") == [
        ("中國外交部亞洲司", "ORG"),
        ("日本駐中國大使館", "ORG"),
    ]


def test_laws_in_book_brackets_and_other_titles() -> None:
    assert entities("依《臺灣關係法》與《日韓漁業協定》，他讀了《紅樓夢》。") == [
        ("臺灣關係法", "LAW"),
        ("日韓漁業協定", "LAW"),
        ("紅樓夢", "WORK_OF_ART"),
    ]


def test_events_quoted_paired_and_named_by_participants() -> None:
    text = "「川習峰會」討論俄烏戰爭、以巴衝突、北約峰會與俄羅斯與烏克蘭戰爭，以及「環臺軍演」。"
    assert entities(text) == [
        ("川習峰會", "EVENT"),
        ("俄烏戰爭", "EVENT"),
        ("以巴衝突", "EVENT"),
        ("北約峰會", "EVENT"),
        ("俄羅斯與烏克蘭戰爭", "EVENT"),
        ("環臺軍演", "EVENT"),
    ]


def test_quoted_name_before_an_event_word_is_the_event() -> None:
    assert entities("「漢光41號」演習明天登場") == [("漢光41號", "EVENT")]


def test_country_abbreviation_pair_event() -> None:
    found = find_entities("雙方討論美中峰會。", [(0, 2, "n"), (2, 4, "v"), (4, 8, "n")])
    assert [("雙方討論美中峰會。"[item.start : item.end], item.label) for item in found] == [
        ("美中峰會", "EVENT")
    ]


def test_facilities_from_place_and_suffix() -> None:
    assert entities("高雄港與桃園機場，不是軍事基地。") == [("高雄港", "FAC"), ("桃園機場", "FAC")]
    assert entities("美軍普天間基地") == [("美軍", "ORG"), ("普天間基地", "FAC")]


def test_nationality_noun_is_norp_but_country_people_is_gpe() -> None:
    assert entities("日本人與美國人民都參加。") == [("日本人", "NORP"), ("美國", "GPE")]


def test_photo_credits_are_agencies() -> None:
    assert entities("圖片來源：路透社、東森影像") == [("路透社", "ORG"), ("東森影像", "ORG")]


def test_byline_name_above_an_affiliation() -> None:
    text = "國際情勢分析\n\n王小明\n\n國立政治大學副教授\n\n本文討論區域局勢。"
    assert ("王小明", "PERSON") in entities(text)


def test_name_found_once_is_found_again() -> None:
    found = knowledge_only("司長劉大同約見大使。記者問劉大同。")["entities"]
    assert [(item["text"], item["source"]) for item in found] == [
        ("劉大同", "pattern"),
        ("劉大同", "consistency"),
    ]


def test_one_label_per_surface_form() -> None:
    text = "華盛頓說華盛頓好，華盛頓"
    chosen = [
        Candidate(0, 3, "PERSON", "pattern"),
        Candidate(4, 7, "GPE", "gazetteer"),
        Candidate(9, 12, "PERSON", "jieba"),
    ]
    assert [item.label for item in unify_labels(text, chosen)] == ["PERSON"] * 3


def test_dotted_transliterated_name() -> None:
    assert ("貝拉克·奧巴馬", "PERSON") in entities("貝拉克·奧巴馬總統發表演說。")
    assert ("威廉‧陸斯佛得", "PERSON") in entities("威廉‧陸斯佛得發表演說。")


def test_languages_from_gazetteer_and_country_suffix() -> None:
    assert entities("他會說英語、芬蘭語和廣東話，也讀日本文學。") == [
        ("英語", "LANGUAGE"),
        ("芬蘭語", "LANGUAGE"),
        ("廣東話", "LANGUAGE"),
        ("日本", "GPE"),
    ]


def test_proper_word_after_a_city_is_a_place_in_it() -> None:
    text = "遷至宜蘭市大福。"
    found = find_entities(text, [(0, 2, "v"), (2, 5, "ns"), (5, 7, "nr"), (7, 8, "x")])
    assert [(text[item.start : item.end], item.label) for item in found] == [
        ("宜蘭市", "GPE"),
        ("大福", "GPE"),
    ]


def test_a_place_word_followed_by_a_noun_is_not_a_place_in_the_city() -> None:
    text = "宜蘭市大福主義"
    found = find_entities(text, [(0, 3, "ns"), (3, 5, "nr"), (5, 7, "n")])
    assert [(text[item.start : item.end], item.label) for item in found] == [("宜蘭市", "GPE")]


def test_a_district_after_its_city_makes_one_address() -> None:
    text = "住在臺北市信義區，不在臺北市各區。"
    tokens = [(0, 2, "v"), (2, 5, "ns"), (5, 7, "n"), (7, 8, "n"), (8, 9, "x")]
    tokens += [(9, 11, "d"), (11, 14, "ns"), (14, 15, "r"), (15, 16, "n"), (16, 17, "x")]
    found = find_entities(text, tokens)
    assert [(text[item.start : item.end], item.label) for item in found] == [
        ("臺北市信義區", "GPE"),
        ("臺北市", "GPE"),
    ]


def test_model_spans_of_country_abbreviations_and_latin_words_are_left_out() -> None:
    text = "美日同盟與小布希（George W.Bush）及Katherine會面"
    bush, katherine = text.index("Bush"), text.index("Katherine")
    predictions = [(0, 2, "PER"), (0, 4, "ORG"), (5, 8, "PER"), (bush, bush + 4, "PER")]
    predictions.append((katherine, katherine + 9, "PER"))
    found = model_candidates(text, predictions, gazetteer())
    # Latin names are left to the gazetteers and patterns (the model reads them as unknowns).
    assert [(text[item.start : item.end], item.label) for item in found] == [("小布希", "PERSON")]


@pytest.mark.parametrize("text", ["", "局", "公司", "總統"])
def test_empty_and_bare_ending_texts_give_no_entities(text: str) -> None:
    assert find_entities(text) == []


def test_works_without_words() -> None:
    text = "美國總統川普與南韓總統會晤"
    found = find_entities(text)
    assert [(text[item.start : item.end], item.label) for item in found] == [
        ("美國", "GPE"),
        ("川普", "PERSON"),
        ("南韓", "GPE"),
    ]


def test_gazetteer_is_loaded_once() -> None:
    assert gazetteer() is gazetteer()


def test_gazetteer_entries_have_one_label() -> None:
    names = gazetteer()
    assert names.label("北約") == "ORG"
    assert names.label("台海") == "LOC"
    assert names.label("國防部長") == "TITLE"


def test_iob2_sentence_to_character_spans() -> None:
    sentence = _sentence([("奧巴馬", "B-PER"), ("訪問", "O"), ("紐約", "B-LOC"), ("市", "I-LOC")])
    assert sentence.text == "奧巴馬訪問紐約市"
    assert sentence.mentions == [(0, 3, "PER"), (5, 8, "LOC")]


def test_score_counts_exact_spans_only() -> None:
    score = Score()
    score.add([(0, 2, "GPE"), (3, 5, "ORG")], [(0, 2, "GPE"), (3, 6, "ORG")])
    assert score.prf("GPE") == (1.0, 1.0, 1.0)
    assert score.prf(None) == (0.5, 0.5, 0.5)


def test_seed_gold_rows_match_the_seed() -> None:
    if not SEED.is_file():
        pytest.skip("seed document absent")
    raw = SEED.read_text(encoding="utf-8")
    previous_end = 0
    for line in SEED_GOLD.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("source_start"):
            continue
        start, end, label, surface = line.split("\t")
        assert label in LABELS
        assert int(start) >= previous_end
        assert re.sub(r"\s+", "", raw[int(start) : int(end)]) == re.sub(r"\s+", "", surface)
        previous_end = int(end)


def test_seed_f1() -> None:
    if not SEED.is_file():
        pytest.skip("seed document absent")
    with open(SEED, encoding="utf-8") as seed:  # the gold offsets assume open().read()
        raw = seed.read()
    score = score_seed(raw, read_gold_tsv(SEED_GOLD))
    precision, recall, f1 = score.prf(None)
    assert f1 >= 0.95, (precision, recall, f1)


@pytest.mark.parametrize("text", ["萬分之肆", "陸點五折"])
def test_a_lone_numeral_line_is_not_a_byline(text: str) -> None:
    record = knowledge_only(text)
    assert record["entities"] == []
    assert [figure["text"] for figure in record["figures"]] == [text]
