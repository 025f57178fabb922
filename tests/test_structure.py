"""Structure stage: title, byline, affiliation, credit, headings, notes."""

from __future__ import annotations

import pytest

import zhextract
from zhextract.doc import Source

ARTICLE = (
    "圖片來源：本社資料照\n"
    "離岸風電的下一步\n"
    "文／王小明\n"
    "某某大學能源研究所教授\n"
    "一、前言\n"
    "離岸風電發展已有十年。\n"
    "二、政策建議\n"
    "政府應加快併網。\n"
    "註：本文不代表某某研究院之立場。\n"
)


def test_meta_sections_and_notes() -> None:
    record = zhextract.extract(ARTICLE)
    assert record["meta"] == {
        "image_credit": "本社資料照",
        "title": "離岸風電的下一步",
        "author": "王小明",
        "affiliation": "某某大學能源研究所教授",
        "publisher": "某某研究院",
    }
    assert [s["heading"] for s in record["sections"]] == ["一、前言", "二、政策建議"]
    first, second = record["sections"]
    text = record["text"]
    assert text[first["content_start"] : first["content_end"]] == "離岸風電發展已有十年。"
    assert text[second["content_start"] : second["content_end"]] == "政府應加快併網。"
    assert [n["kind"] for n in record["notes"]] == ["註"]
    roles = [p["role"] for p in record["paragraphs"]]
    assert roles == [
        "image_credit", "title", "author", "affiliation",
        "heading", "body", "heading", "body", "note",
    ]  # fmt: skip


def test_plain_news_has_no_invented_structure() -> None:
    record = zhextract.extract("行政院今天宣布新的補助方案，總額達新臺幣十億元。\n方案明年上路。\n")
    assert record["meta"] == {}
    assert record["sections"] == []
    assert {p["role"] for p in record["paragraphs"]} == {"body"}


def test_enumerated_sentence_is_not_a_heading() -> None:
    record = zhextract.extract("一、本案經審查後通過，並送交立法院備查。\n")
    assert record["sections"] == []


def test_seed_structure(seed_record: dict) -> None:
    meta = seed_record["meta"]
    assert meta["title"] == "「川石峰會」確認美日同盟關係不變穩定印太安全環境"
    assert meta["author"] == "楊志恆"
    assert meta["affiliation"] == "臺北醫學大學兼任副教授"
    assert meta["image_credit"] == "美聯社、達志影像"
    assert meta["publisher"] == "遠景基金會"
    headings = [s["heading"] for s in seed_record["sections"]]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、"]
    assert headings[4].endswith("和平穩定政策不變")  # the heading wrapped across two PDF lines
    assert [n["kind"] for n in seed_record["notes"]] == ["編按"]


PRESS_RELEASE = (
    "交通部新聞稿\n"
    "發布日期：2025-04-01\n"
    "發布單位：交通部公路局\n"
    "國道客運票價四月起調整\n"
    "交通部今（1）日宣布國道客運票價調整方案。\n"
    "新聞聯絡人：公路局李大同科長\n"
    "聯絡電話：(02)0000-0000\n"
)


def test_press_release_fields() -> None:
    record = zhextract.extract(PRESS_RELEASE)
    meta = record["meta"]
    assert meta["document_kind"] == "交通部新聞稿"
    assert meta["title"] == "國道客運票價四月起調整"
    assert meta["published"] == "2025-04-01"
    assert meta["issuer"] == "交通部公路局"
    assert meta["contact"] == "公路局李大同科長"
    assert meta["fields"]["聯絡電話"] == "(02)0000-0000"
    roles = [p["role"] for p in record["paragraphs"]]
    assert roles == ["document_kind", "field", "field", "title", "body", "field", "field"]


def test_news_dateline_names_the_reporter() -> None:
    record = zhextract.extract("新站啟用\n【記者陳美玲／高雄報導】捷運新站今天啟用。\n")
    assert record["meta"]["author"] == "陳美玲"
    assert record["meta"]["dateline_place"] == "高雄"


def _gov_release(date_field: str) -> str:
    return (
        "農業部新聞稿\n"
        f"發布日期：{date_field}\n"
        "秋季稻作收成估計出爐\n"
        "農業部今（15）日公布今年二期稻作收成估計，全國產量約64萬公噸。\n"
    )


@pytest.mark.parametrize(
    "date_field", ["112-11-15", "112.11.15", "112/11/15", "民國112年11月15日", "2023-11-15"]
)
def test_roc_date_field_is_the_document_date(date_field: str) -> None:
    record = zhextract.load("fast")(_gov_release(date_field))
    assert record["meta"]["published"] == "2023-11-15"
    assert record["meta"]["fields"]["發布日期"] == date_field  # as the document states it
    today = next(item for item in record["dates"] if item["text"] == "今（15）日")
    assert today["value"] == "2023-11-15"
    assert record["doc_date"] is None  # only --date / doc_date fills this


@pytest.mark.parametrize("date_field", ["112-13-15", "112-02-30", "112-11/15", "下週一", "11-15"])
def test_date_field_that_is_no_full_date_stays_as_stated(date_field: str) -> None:
    record = zhextract.load("fast")(_gov_release(date_field))
    assert record["meta"]["published"] == date_field
    today = next(item for item in record["dates"] if item["text"] == "今（15）日")
    assert today["value"] is None


def test_roc_date_outside_a_date_field_is_not_the_publication_date() -> None:
    record = zhextract.load("fast")("農業部新聞稿\n案號：112-11-15\n農業部今（15）日公布產量。\n")
    assert "published" not in record["meta"]


def test_doc_date_given_wins_over_the_date_field() -> None:
    record = zhextract.load("fast")(_gov_release("112-11-15"), doc_date="2023-12-20")
    assert record["meta"]["published"] == "2023-11-15"
    today = next(item for item in record["dates"] if item["text"] == "今（15）日")
    assert today["value"] == "2023-12-15"


def test_news_byline_line_gives_reporter_place_and_date() -> None:
    text = "新竹科學園區擴建案通過環評\n記者張雅雯／新竹報導　2024年5月20日\n環評大會今天通過擴建案。\n"
    record = zhextract.load("fast")(text)
    meta = record["meta"]
    assert (meta["author"], meta["dateline_place"], meta["published"]) == (
        "張雅雯",
        "新竹",
        "2024-05-20",
    )
    assert [p["role"] for p in record["paragraphs"]] == ["title", "author", "body"]
    assert next(d["value"] for d in record["dates"] if d["text"] == "今天") == "2024-05-20"


def test_line_naming_a_reporter_inside_the_body_is_no_byline() -> None:
    text = "環評大會今天通過擴建案，引起地方討論。\n記者張雅雯／新竹報導\n"
    record = zhextract.load("fast")(text)
    assert "author" not in record["meta"]
    assert {p["role"] for p in record["paragraphs"]} == {"body"}


@pytest.mark.parametrize(
    ("title", "meta_title"),
    [
        ("台積電法說會釋利多　外資單日買超逾300億元", "台積電法說會釋利多 外資單日買超逾300億元"),
        ("颱風過境 花蓮停班停課", "颱風過境 花蓮停班停課"),  # an ASCII space, as HTML gives it
        ("中油　台電　聯手降價", "中油 台電 聯手降價"),
        ("公 告 事 項", "公告事項"),  # letter-spacing between single characters
        ("今(2025)年 2月 7 日開議", "今(2025)年2月7日開議"),  # stray spaces beside digits
        ("Apple 新機　9月發表", "Apple 新機 9月發表"),
        ("無空格的標題", "無空格的標題"),
    ],
)
def test_title_keeps_a_space_where_the_source_spaces_it(title: str, meta_title: str) -> None:
    record = zhextract.load("fast")(f"{title}\n今天的內容在這裡。\n")
    assert record["meta"]["title"] == meta_title
    assert record["paragraphs"][0]["role"] == "title"


def test_title_marked_by_style_after_the_body_began_is_still_the_title() -> None:
    opening = (
        "本報告依據年度工作計畫編寫，說明各項指標的定義、資料來源與計算方式，供各單位參考使用。"
    )
    raw = f"{opening}\n年度績效報告\n各項指標均達成目標。\n"
    start = raw.index("年度績效報告")
    source = Source(path=None, sha256="0" * 64, marks=[(start, start + 6, "title")])
    record = zhextract.load("fast")(raw, source=source)
    assert record["meta"]["title"] == "年度績效報告"
    assert [p["role"] for p in record["paragraphs"]] == ["body", "title", "body"]
    unmarked = zhextract.load("fast")(raw)
    assert "title" not in unmarked["meta"]
