"""The generated name lists (LABEL.built.txt, see SOURCES.md): their names are found in
running text with the right label, ordinary words stay untagged, and the lists add to
the hand-written ones without relabelling any of their names."""

from __future__ import annotations

import pytest

import zhextract
from zhextract.stages.entities.gazetteer import TAI_VARIANTS, data_file, gazetteer, read_lines


def knowledge_only(text: str) -> dict:
    """The record of the `fast` pipeline: the gazetteers and patterns these tests are
    about, without the statistical model the default pipeline adds (tests/test_lac.py)."""
    return zhextract.load("fast")(text)


def entities(text: str) -> list[tuple[str, str]]:
    return [(item["text"], item["label"]) for item in knowledge_only(text)["entities"]]


def _built_files() -> list[str]:
    folder = data_file("gazetteer")
    return sorted(item.name for item in folder.iterdir() if item.name.endswith(".built.txt"))


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("立法院三讀通過資通安全管理法修正草案。", "資通安全管理法", "LAW"),
        ("勞工團體要求修改勞動基準法的工時規定。", "勞動基準法", "LAW"),
        ("勞動部勞動力發展署將擴大職訓補助。", "勞動部勞動力發展署", "ORG"),
        ("國軍退除役官兵輔導委員會昨天公布新制。", "國軍退除役官兵輔導委員會", "ORG"),
        ("研華與群聯昨天公布第三季財報。", "研華", "ORG"),
        ("研華與群聯昨天公布第三季財報。", "群聯", "ORG"),
        ("他畢業於墨爾本大學，後來返台任教。", "墨爾本大學", "ORG"),
        ("寮國人民革命黨召開全國代表大會。", "寮國人民革命黨", "ORG"),
        ("代表團從努美阿轉機前往萬那杜。", "努美阿", "GPE"),
        ("記者前往勘察加半島採訪火山活動。", "勘察加半島", "LOC"),
        ("遊客在瀘沽湖畔拍照。", "瀘沽湖", "LOC"),
        ("他在大英博物館看到羅塞塔石碑。", "大英博物館", "FAC"),
        ("梅蘭芳與譚富英同台演出。", "梅蘭芳", "PERSON"),
        ("數學家華羅庚的手稿公開展出。", "華羅庚", "PERSON"),
        ("歷史課講到日俄戰爭的影響。", "日俄戰爭", "EVENT"),
        ("這部電影入圍了金熊獎。", "金熊獎", "WORK_OF_ART"),
    ],
)
def test_built_names_are_found_with_their_label(text: str, name: str, label: str) -> None:
    assert (name, label) in entities(text)


@pytest.mark.parametrize(
    "text",
    [
        "我們對未來充滿希望。",
        "研究中心將在明年完成。",
        "他說大家都很幸福，生活很穩定。",
        "這項政策讓民眾對統一發票的中獎機率有疑問。",
        "若扣除資通產品，出口成長有限。",
        "學生準備參加指考。",
        "他在研究所讀了三年，南大門外的新鄉村很安靜。",
        "新產品上市後，市場反應熱烈。",
    ],
)
def test_ordinary_words_stay_untagged(text: str) -> None:
    assert entities(text) == []


def test_a_pronoun_before_a_verb_is_not_a_name() -> None:
    assert entities("他信奉佛教多年。") == [("佛教", "NORP")]


@pytest.mark.parametrize(
    "word", ["上市公司", "廣播公司", "中心", "未來", "希望", "大同", "幸福", "資通", "他信"]
)
def test_generic_words_are_not_in_the_built_lists(word: str) -> None:
    built = {
        name
        for file in _built_files()
        for line in read_lines(f"gazetteer/{file}")
        for name in line.split("\t")
    }
    assert word not in built


def test_built_lists_exist_and_are_sorted() -> None:
    files = _built_files()
    assert {"GPE.built.txt", "ORG.built.txt", "PERSON.built.txt", "LAW.built.txt"} <= set(files)
    for file in files:
        lines = read_lines(f"gazetteer/{file}")
        assert lines == sorted(set(lines)), file


def test_built_lists_never_claim_a_hand_written_name() -> None:
    hand: set[str] = set()
    folder = data_file("gazetteer")
    for item in folder.iterdir():
        if item.name.endswith(".txt") and ".built." not in item.name:
            for line in read_lines(f"gazetteer/{item.name}"):
                for name in line.split("\t"):
                    hand.update((name, name.translate(TAI_VARIANTS)))
    for file in _built_files():
        label = file.split(".")[0]
        for line in read_lines(f"gazetteer/{file}"):
            for name in line.split("\t"):
                assert name not in hand, (file, name)
                assert gazetteer().label(name) == label, (file, name)
