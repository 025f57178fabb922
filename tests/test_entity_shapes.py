"""Entities stage: classes of names and boundaries that no name list can hold.

Each table pairs a sentence written for the test with names that must be found
(label given) or must not be (label None)."""

from __future__ import annotations

import pytest

import zhextract


def knowledge_only(text: str) -> dict:
    """The record of the `fast` pipeline: the gazetteers and patterns these tests are
    about, without the statistical model the default pipeline adds (tests/test_lac.py)."""
    return zhextract.load("fast")(text)


def entities(text: str) -> list[tuple[str, str]]:
    return [(item["text"], item["label"]) for item in knowledge_only(text)["entities"]]


def check(text: str, expected: list[tuple[str, str | None]]) -> None:
    found = entities(text)
    for surface, label in expected:
        if label is None:
            assert all(name != surface for name, _ in found), (surface, found)
        else:
            assert (surface, label) in found, (surface, label, found)


# 1. Transliterated names with any separator between their parts.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("克里斯多福‧諾蘭執導新片。", [("克里斯多福‧諾蘭", "PERSON")]),
        ("瑪麗．居禮發現鐳。", [("瑪麗.居禮", "PERSON")]),
        ("馬丁·路德·金恩發表演說。", [("馬丁·路德·金恩", "PERSON")]),
        (
            "古斯塔夫•克林姆作畫，山姆・華納出資。",
            [("古斯塔夫•克林姆", "PERSON"), ("山姆・華納", "PERSON")],
        ),
        ("總統貝拉克·奧巴馬說。", [("貝拉克·奧巴馬", "PERSON"), ("總統貝拉克·奧巴馬", None)]),
        ("他哥哥洛馬納·盧阿盧阿進球。", [("洛馬納·盧阿盧阿", "PERSON")]),
        (
            "約瑟夫·斐迪南和瑪利亞·安東妮婭結婚。",
            [("約瑟夫·斐迪南", "PERSON"), ("瑪利亞·安東妮婭", "PERSON")],
        ),
        (
            "威廉·萊昂·麥肯齊·金是總理，斯坦·李說。",
            [("威廉·萊昂·麥肯齊·金", "PERSON"), ("斯坦·李", "PERSON")],
        ),
        ("九·一八事變後，生活‧文化版刊出。", [("九·一八", None), ("生活‧文化", None)]),
    ],
)
def test_dotted_transliterated_names(text: str, expected: list[tuple[str, str | None]]) -> None:
    check(text, expected)


CASES: dict[str, list[tuple[str, list[tuple[str, str | None]]]]] = {
    # 2. Japanese names (surname table + given name) and Korean names, with context.
    "japanese_korean": [
        ("外相佐藤健一說，渡邊優子強調。", [("佐藤健一", "PERSON"), ("渡邊優子", "PERSON")]),
        ("首相小林聰出席，田中美穗表示。", [("小林聰", "PERSON"), ("田中美穗", "PERSON")]),
        ("大谷今天表示，大谷也表示。", [("大谷今天", None), ("大谷也", None)]),
        ("中山區長指出，高市長表示。", [("高市長", None)]),
        ("權寧世指出，秋慶鎬說。", [("權寧世", "PERSON"), ("秋慶鎬", "PERSON")]),
    ],
    # 3. A Chinese name before a speech verb; common words before one are not names.
    "name_before_verb": [
        ("陳建民表示，林小華指出。", [("陳建民", "PERSON"), ("林小華", "PERSON")]),
        ("王牌說，高層表示，方面表示。", [("王牌", None), ("高層", None), ("方面", None)]),
        ("蔡政府指出，韓方表示，黃今說。", [("蔡政府", None), ("韓方", None), ("黃今", None)]),
        ("王小姐表示，李姓男子表示。", [("王小姐", None), ("李姓", None)]),
    ],
    # 4. A place before a business is its own GPE; a place's government body joins it.
    "place_before_business": [
        (
            "美國蘋果公司與日本豐田汽車合作。",
            [("美國", "GPE"), ("蘋果公司", "ORG"), ("日本", "GPE"), ("豐田汽車", "ORG")],
        ),
        ("美國輝達公司、日本野村證券。", [("輝達公司", "ORG"), ("野村證券", "ORG")]),
        ("中國石油公司、日本航空公司。", [("中國石油公司", "ORG"), ("日本航空公司", "ORG")]),
        ("美國商務部與中國外交部。", [("美國商務部", "ORG"), ("中國外交部", "ORG")]),
        ("美國在台協會與中國國民黨。", [("美國在台協會", "ORG"), ("中國國民黨", "ORG")]),
        ("臺中市政府與新北市政府。", [("臺中市政府", "ORG"), ("新北市政府", "ORG")]),
        ("美國市場很大。", [("美國", "GPE"), ("美國市場", None)]),
    ],
    # 5. A unit under a named parent is one ORG; a bare 署 agency is ORG, not PERSON.
    "units": [
        ("經濟部能源署、農業部農糧署。", [("經濟部能源署", "ORG"), ("農業部農糧署", "ORG")]),
        ("財政部國庫署、衛福部疾管署。", [("財政部國庫署", "ORG"), ("衛福部疾管署", "ORG")]),
        ("國立政治大學國際關係研究中心", [("國立政治大學國際關係研究中心", "ORG")]),
        ("農糧署表示，能源署說，國際能源署指出。", [("農糧署", "ORG"), ("能源署", "ORG")]),
        ("部署兵力，民進黨記者會，香港當局。", [("民進黨記者會", None), ("香港當局", None)]),
    ],
    # 6. Railway and metro lines, venues.
    "lines_and_venues": [
        ("文湖線停駛，改搭捷運中和新蘆線。", [("中和新蘆線", "FAC"), ("文湖線", "FAC")]),
        ("板南線與大阪環狀線。", [("板南線", "FAC"), ("大阪環狀線", "FAC")]),
        ("山手線與京滬高鐵。", [("山手線", "FAC"), ("京滬高鐵", "FAC")]),
        ("在台北小巨蛋與高雄巨蛋。", [("台北小巨蛋", "FAC"), ("高雄巨蛋", "FAC")]),
        (
            "跌破季線、月線，守住防線，北極航線，最先進的鐵路。",
            [
                ("季線", None),
                ("月線", None),
                ("防線", None),
                ("北極航線", None),
                ("最先進的鐵路", None),
            ],
        ),
    ],
    # 7. Words for kinds of organizations are none.
    "generic_org_words": [
        ("上市公司、上櫃公司的EPS與ETF。", [("上市公司", None), ("上櫃公司", None), ("EPS", None)]),
        (
            "子公司與母公司，本公司、該公司。",
            [("子公司", None), ("母公司", None), ("該公司", None)],
        ),
        ("公會與政府協商。", [("公會", None), ("政府", None)]),
    ],
    # 8. Typhoons: the name is an EVENT.
    "typhoons": [
        ("強颱山陀兒今天登陸。", [("山陀兒", "EVENT")]),
        ("中颱凱米昨天來襲，杜蘇芮颱風。", [("凱米", "EVENT"), ("杜蘇芮", "EVENT")]),
        ("颱風「海葵」與中度颱風小犬。", [("海葵", "EVENT"), ("小犬", "EVENT")]),
        (
            "今年颱風、強烈颱風、颱風假、颱風外圍環流。",
            [
                ("今年", None),
                ("強烈", None),
                ("外圍", None),
                ("外圍環流", None),
            ],
        ),
    ],
    # 9. Brokers, investment advisers, insurers.
    "finance": [
        (
            "元大投顧、凱基證券、富邦投信。",
            [("元大投顧", "ORG"), ("凱基證券", "ORG"), ("富邦投信", "ORG")],
        ),
        (
            "群益投信與新光產險、玉山金控。",
            [("群益投信", "ORG"), ("新光產險", "ORG"), ("玉山金控", "ORG")],
        ),
        (
            "外資證券、網路銀行、商業銀行、黃金期貨。",
            [
                ("外資證券", None),
                ("網路銀行", None),
                ("商業銀行", None),
                ("黃金期貨", None),
            ],
        ),
    ],
    # 10. A short form defined in brackets takes the long name's label, everywhere.
    "short_forms": [
        (
            "立達精密工業公司（立達）今天宣布，立達股價上漲。",
            [("立達精密工業公司", "ORG"), ("立達", "ORG")],
        ),
        (
            "台灣積體電路製造公司（台積電）表示。",
            [("台灣積體電路製造公司", "ORG"), ("台積電", "ORG")],
        ),
        ("文化內容策進院（文策院）表示，文策院將補助。", [("文策院", "ORG")]),
    ],
    # 11. A ministry before a word that starts with the title's last character.
    "ministries": [
        ("財政部長期關注稅改，國防部長期推動。", [("財政部", "ORG"), ("國防部", "ORG")]),
        ("外交部長年來，內政部長官表示。", [("外交部", "ORG"), ("內政部", "ORG")]),
        ("教育部今天宣布，財政部長莊翠雲說。", [("教育部", "ORG"), ("財政部", None)]),
        ("國防部長顧立雄表示。", [("國防部", None)]),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [case for cases in CASES.values() for case in cases],
    ids=[f"{name}-{index}" for name, cases in CASES.items() for index in range(len(cases))],
)
def test_name_shapes(text: str, expected: list[tuple[str, str | None]]) -> None:
    check(text, expected)


def test_short_form_found_everywhere_has_one_count_per_mention() -> None:
    found = entities("文化內容策進院（文策院）表示，文策院將補助，文策院說。")
    assert [name for name, _ in found].count("文策院") == 3


def test_dotted_names_are_only_tried_where_a_han_run_starts() -> None:
    from zhextract.stages.entities.patterns import DOTTED

    # Tried from inside a run, the pattern would rescan the rest of the run from every
    # position: quadratic on long runs without dots.
    text = "說" * 50 + "瑪麗．居禮"
    assert [match.start() for match in DOTTED.finditer(text)] == [0]
    assert DOTTED.search("一" * 200) is None
