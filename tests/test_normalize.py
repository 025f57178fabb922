"""Normalize stage: reflowing PDF line breaks, dropping stray spaces, the offset map."""

from __future__ import annotations

import pytest

from zhextract.stages.normalize import normalize_text

WRAPPED = (
    "標題在這裡 \n\n"
    "    第一段的開頭寫在這一行，然後因為排版的\n\n"
    "關係被迫換行，英文名字（Jane \n\n"
    "Doe）也被拆開了，數字 3 0 不會。 \n\n"
    "    第二段從縮排開始，今(2024)年 5月 20 日發生\n\n"
    " 了一件事，金額約 3,000 億元。 \n"
)


def paragraphs(raw: str) -> list[str]:
    text, _, spans = normalize_text(raw)
    return [text[start:end] for start, end in spans]


def test_pdf_wrapped_text_is_reflowed_into_paragraphs() -> None:
    assert paragraphs(WRAPPED) == [
        "標題在這裡",
        "第一段的開頭寫在這一行，然後因為排版的關係被迫換行，英文名字（Jane Doe）也被拆開了，數字3 0不會。",
        "第二段從縮排開始，今(2024)年5月20日發生了一件事，金額約3,000億元。",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("資 1 兆美元", "資1兆美元"),
        ("Nippon  Steel 公司", "Nippon Steel 公司"),
        ("AI 開發與 DeepSeek 系統", "AI 開發與 DeepSeek 系統"),
        ("（其中 1 艘大型）", "（其中1艘大型）"),
        ("２０２５年１２３億", "2025年123億"),
        ("全形標點，保留：是的", "全形標點，保留：是的"),
        ("零\u200b寬\ufeff字元", "零寬字元"),
    ],
)
def test_spaces_and_width_inside_a_line(raw: str, expected: str) -> None:
    assert normalize_text(raw)[0] == expected


def test_one_paragraph_per_line_text_is_not_joined() -> None:
    raw = "第一段話說完了。\n第二段話也說完了。\n第三段。\n"
    assert paragraphs(raw) == ["第一段話說完了。", "第二段話也說完了。", "第三段。"]


def test_blank_lines_separate_paragraphs_in_single_spaced_text() -> None:
    raw = (
        "這是第一段的第一行，還沒有\n結束的句子在這裡結束，但是\n這一段還有第三行。\n\n"
        "這是第二段，它的第一行也是\n被換行了一次才結束。\n"
    )
    assert paragraphs(raw) == [
        "這是第一段的第一行，還沒有結束的句子在這裡結束，但是這一段還有第三行。",
        "這是第二段，它的第一行也是被換行了一次才結束。",
    ]


def test_a_few_header_lines_are_not_taken_for_wrapped_text() -> None:
    raw = "發布日期：2025-04-01\n發布單位：交通部公路局\n標題一行\n內文一句話寫完。\n"
    assert len(paragraphs(raw)) == 4


def test_crlf_and_ideographic_indent() -> None:
    raw = "\u3000\u3000第一段寫完。\r\n\u3000\u3000第二段寫完。\r\n"
    assert paragraphs(raw) == ["第一段寫完。", "第二段寫完。"]


def test_offset_map_points_every_character_back_to_its_source() -> None:
    text, offsets, _ = normalize_text(WRAPPED)
    assert len(offsets) == len(text) + 1
    for index, char in enumerate(text):
        source_char = WRAPPED[offsets[index]]
        if char in (" ", "\n"):
            assert source_char.isspace()
        else:
            assert source_char == char
    assert offsets == sorted(offsets)


@pytest.mark.parametrize("raw", ["", " ", "\n\n\n", "\u3000\n \n"])
def test_empty_and_blank_input(raw: str) -> None:
    text, offsets, spans = normalize_text(raw)
    assert (text, spans) == ("", [])
    assert len(offsets) == 1


def test_seed_reflow(seed_record: dict) -> None:
    text = seed_record["text"]
    assert "今(2025)年2月7日" in text
    assert "川普(Donald Trump)會晤" in text
    assert "拜登（Joe Biden）" in text
    assert "還是美國所有" in text
    assert "投資1兆美元" in text
    assert "\n\n" not in text
    assert len(seed_record["paragraphs"]) == 17


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("新聞聯絡人：交通部觀光署　陳冠宇科長", "新聞聯絡人：交通部觀光署 陳冠宇科長"),
        ("颱風警報解除　各地恢復上班", "颱風警報解除 各地恢復上班"),
        ("報名至9月底止　名額100人", "報名至9月底止 名額100人"),
        ("聯絡人：陳　冠　宇", "聯絡人：陳冠宇"),  # letter-spacing between single characters
        ("預算 3,000 億 元", "預算3,000億元"),  # plain stray spaces
    ],
)
def test_ideographic_space_between_phrases_stays_one_space(raw: str, expected: str) -> None:
    text, offsets, _ = normalize_text(raw)
    assert text == expected
    for index, char in enumerate(text):
        assert raw[offsets[index]] == ("\u3000" if char == " " and "\u3000" in raw else char)
