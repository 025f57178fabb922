"""World place lists (GPE.world.txt, LOC.world.txt, FAC.world.txt): labels, spans, and
the ambiguous words they leave out on purpose."""

from __future__ import annotations

import pytest

import zhextract
from zhextract.stages.entities.gazetteer import data_file, gazetteer, read_lines

PLACE_FILES = ("GPE.world.txt", "LOC.world.txt", "FAC.world.txt")


def knowledge_only(text: str) -> dict:
    """The record of the `fast` pipeline: the gazetteers and patterns these tests are
    about, without the statistical model the default pipeline adds (tests/test_lac.py)."""
    return zhextract.load("fast")(text)


def entities(text: str) -> list[tuple[str, str, int, int]]:
    record = knowledge_only(text)
    return [
        (item["text"], item["label"], item["start"], item["end"]) for item in record["entities"]
    ]


def listed_names(file_name: str) -> list[str]:
    return [name for line in read_lines(f"gazetteer/{file_name}") for name in line.split("\t")]


@pytest.mark.parametrize("file_name", PLACE_FILES)
def test_every_listed_name_keeps_the_label_of_its_file(file_name: str) -> None:
    # An earlier file (FAC.world.txt is read before GPE.txt) would silently win a name.
    label = file_name.split(".")[0]
    names = listed_names(file_name)
    assert len(names) >= 100
    assert [name for name in names if gazetteer().label(name) != label] == []


@pytest.mark.parametrize("file_name", PLACE_FILES)
def test_names_are_clean_and_listed_once(file_name: str) -> None:
    names = listed_names(file_name)
    assert [name for name in names if len(name) < 2 or name != name.strip()] == []
    assert len(names) == len(set(names))
    assert data_file(f"gazetteer/{file_name}").read_text(encoding="utf-8").startswith("# ")


def test_chinese_prefecture_cities_and_regions() -> None:
    assert entities("石家莊與邯鄲同屬河北，莆田在閩南以北。") == [
        ("石家莊", "GPE", 0, 3),
        ("邯鄲", "GPE", 4, 6),
        ("河北", "GPE", 8, 10),
        ("莆田", "GPE", 11, 13),
        ("閩南", "LOC", 14, 16),
    ]


def test_tai_variants_and_prc_spellings_share_the_label() -> None:
    names = gazetteer()
    assert [names.label(name) for name in ("煙臺", "煙台", "得克薩斯州", "新澤西州")] == [
        "GPE",
        "GPE",
        "GPE",
        "GPE",
    ]
    assert names.label("聖母峰") == names.label("珠穆朗瑪峰") == "LOC"


def test_historical_states_are_gpe() -> None:
    assert entities("前南斯拉夫與捷克斯洛伐克；鄂圖曼帝國與奧匈帝國；東德與西德。") == [
        ("南斯拉夫", "GPE", 1, 5),
        ("捷克斯洛伐克", "GPE", 6, 12),
        ("鄂圖曼帝國", "GPE", 13, 18),
        ("奧匈帝國", "GPE", 19, 23),
        ("東德", "GPE", 24, 26),
        ("西德", "GPE", 27, 29),
    ]


def test_dynasties_are_not_listed() -> None:
    assert entities("清朝末年與明朝初年") == []
    assert gazetteer().label("清朝") is None


def test_rivers_seas_and_world_cities() -> None:
    assert entities("松花江畔的哈爾濱，與鄂霍次克海旁的海參崴。") == [
        ("松花江", "LOC", 0, 3),
        ("哈爾濱", "GPE", 5, 8),
        ("鄂霍次克海", "LOC", 10, 15),
        ("海參崴", "GPE", 17, 20),
    ]


def test_facilities_streets_and_landmarks() -> None:
    assert entities("華爾街的投資人走過白金漢宮，札波羅熱核電廠停機。") == [
        ("華爾街", "FAC", 0, 3),
        ("白金漢宮", "FAC", 9, 13),
        ("札波羅熱核電廠", "FAC", 14, 21),
    ]


def test_longer_names_win_over_listed_places_inside_them() -> None:
    assert entities("華爾街日報報導珍珠港事件") == [
        ("華爾街日報", "ORG", 0, 5),
        ("珍珠港事件", "EVENT", 7, 12),
    ]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("我們在新鄉村推動卡通化的設計", []),
        ("海防部隊打上馬賽克", []),
        ("他從菲律賓海域返航", [("菲律賓", "GPE", 2, 5)]),
    ],
)
def test_ordinary_words_are_not_read_as_places(
    text: str, places: list[tuple[str, str, int, int]]
) -> None:
    assert [item for item in entities(text) if item[1] in ("GPE", "LOC", "FAC")] == places


@pytest.mark.parametrize(
    "word", ["新鄉", "通化", "海防", "馬賽", "拉法", "開封", "本州", "菲律賓海"]
)
def test_ambiguous_names_are_left_out(word: str) -> None:
    assert gazetteer().label(word) is None
