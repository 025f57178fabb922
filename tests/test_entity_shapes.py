"""Entities stage: classes of names and boundaries that no name list can hold.

Each table pairs a sentence written for the test with names that must be found
(label given) or must not be (label None)."""

from __future__ import annotations

import pytest

import zhextract


def entities(text: str) -> list[tuple[str, str]]:
    return [(item["text"], item["label"]) for item in zhextract.extract(text)["entities"]]


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
