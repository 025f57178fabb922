"""The world name lists (PERSON/ORG/EVENT/LAW/PRODUCT/NORP/WORK_OF_ART .world.txt):
names are found with the right label and span, ordinary words stay untagged, and each
list only holds names no other list claims."""

from __future__ import annotations

import pytest

import zhextract
from zhextract.stages.entities.gazetteer import TAI_VARIANTS, data_file, gazetteer, read_lines

WORLD_LABELS = ("PERSON", "ORG", "EVENT", "LAW", "PRODUCT", "NORP", "WORK_OF_ART")


def knowledge_only(text: str) -> dict:
    """The record of the `fast` pipeline: the gazetteers and patterns these tests are
    about, without the statistical model the default pipeline adds (tests/test_lac.py)."""
    return zhextract.load("fast")(text)


def entities(text: str) -> list[tuple[str, str, int]]:
    return [
        (item["text"], item["label"], item["start"]) for item in knowledge_only(text)["entities"]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "行政院副院長鄭麗君與陸委會主委邱垂正出席記者會。",
            [("行政院", "ORG", 0), ("鄭麗君", "PERSON", 6), ("陸委會", "ORG", 10)]
            + [("邱垂正", "PERSON", 15)],
        ),
        (
            "習近平與趙樂際、王滬寧出席會議。",
            [("習近平", "PERSON", 0), ("趙樂際", "PERSON", 4), ("王滬寧", "PERSON", 8)],
        ),
        (
            "美國總統杜魯門與艾森豪都曾任職於戰後初期。",
            [("美國", "GPE", 0), ("杜魯門", "PERSON", 4), ("艾森豪", "PERSON", 8)],
        ),
        (
            "台達電與日月光的股價上漲，摩根大通與高盛調高評等。",
            [("台達電", "ORG", 0), ("日月光", "ORG", 4), ("摩根大通", "ORG", 13)]
            + [("高盛", "ORG", 18)],
        ),
        ("英超與西甲球隊爭奪冠軍。", [("英超", "ORG", 0), ("西甲", "ORG", 3)]),
        (
            "美國國會通過台灣旅行法，並重申八一七公報的立場。",
            [("美國國會", "ORG", 0), ("台灣旅行法", "LAW", 6), ("八一七公報", "LAW", 15)],
        ),
        (
            "九二一大地震造成重大傷亡，八八風災也重創南部。",
            [("九二一大地震", "EVENT", 0), ("八八風災", "EVENT", 13)],
        ),
        (
            "解放軍出動殲-20與轟-6，美軍則派出F-22。",
            [("解放軍", "ORG", 0), ("殲-20", "PRODUCT", 5), ("轟-6", "PRODUCT", 10)]
            + [("美軍", "ORG", 14), ("F-22", "PRODUCT", 19)],
        ),
        ("泛藍與泛綠陣營互相批評。", [("泛藍", "NORP", 0), ("泛綠", "NORP", 3)]),
        (
            "聖經與古蘭經都被譯成多種語言。",
            [("聖經", "WORK_OF_ART", 0), ("古蘭經", "WORK_OF_ART", 3)],
        ),
    ],
)
def test_listed_names_are_tagged_with_their_span(
    text: str, expected: list[tuple[str, str, int]]
) -> None:
    assert entities(text) == expected


def test_a_longer_listed_name_wins_over_the_names_inside_it() -> None:
    # 國務院 and 台灣 are names too; the office's full name is one organization.
    assert entities("中國國務院台灣事務辦公室發表聲明。") == [
        ("中國國務院台灣事務辦公室", "ORG", 0)
    ]
    assert entities("歐盟執委會主席馮德萊恩訪問東京。") == [
        ("歐盟執委會", "ORG", 0),
        ("馮德萊恩", "PERSON", 7),
        ("東京", "GPE", 13),
    ]


def test_other_usages_on_the_same_line_and_both_tai_spellings() -> None:
    assert entities("拉姆斯菲爾德與倫斯斐是同一人。") == [
        ("拉姆斯菲爾德", "PERSON", 0),
        ("倫斯斐", "PERSON", 7),
    ]
    assert entities("臺灣高鐵與台灣高鐵都是同一家公司。") == [
        ("臺灣高鐵", "ORG", 0),
        ("台灣高鐵", "ORG", 5),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "投票中超過半數支持。",  # 中超 is only listed as 中超聯賽
        "三立委聯手提案。",  # 三立 only as 三立電視 / 三立新聞
        "公安部門依法處理。",  # 公安部 is left out: 公安部門 is an ordinary word
        "日韓正在協商新的協定。",  # 韓正 is left out
        "新航線將於明年開通。",  # 新航 is left out
    ],
)
def test_ordinary_words_that_contain_a_left_out_name_are_not_tagged(text: str) -> None:
    assert entities(text) == []


def test_a_left_out_short_form_does_not_hide_the_words_around_it() -> None:
    # 他信 (Thaksin's PRC name) is left out: only the religion is a name here.
    assert entities("他信奉佛教，她的家人則是伊斯蘭教徒。") == [
        ("佛教", "NORP", 3),
        ("伊斯蘭教徒", "NORP", 12),
    ]
    # 雷根號 is listed only as 雷根號航艦, so 雷根 stays a person before 號召.
    assert entities("雷根號召美國人民團結。") == [("雷根", "PERSON", 0), ("美國", "GPE", 4)]


def _world_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for label in WORLD_LABELS:
        for line in read_lines(f"gazetteer/{label}.world.txt"):
            for name in line.split("\t"):
                names[name] = label
    return names


def _names_in_other_files() -> set[str]:
    mine = {f"{label}.world.txt" for label in WORLD_LABELS}
    found: set[str] = set()
    for entry in data_file("gazetteer").iterdir():
        if not entry.name.endswith(".txt") or entry.name in mine:
            continue
        for line in read_lines(f"gazetteer/{entry.name}"):
            for name in line.split("\t"):
                found.update({name.strip(), name.strip().translate(TAI_VARIANTS)})
    return found


def test_world_names_are_clean_and_claimed_by_no_other_list() -> None:
    names = _world_names()
    assert len(names) > 900
    for name in names:
        assert name == name.strip() and len(name) >= 2, name
    assert sorted(set(names) & _names_in_other_files()) == []
    loaded = gazetteer()
    assert {name: loaded.label(name) for name in names} == names
