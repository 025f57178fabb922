"""Figures the stage reads since issue 13: fractions, 零 with an implied 一, character
decimals and signs, counted quantities, market and energy units, relative dates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import zhextract
from zhextract.stages.figures.extract import FigureSettings, find_figures

D = Decimal


def found(text: str, doc_date: str | None = None) -> list[tuple[Any, ...]]:
    record = zhextract.extract(text, doc_date)
    for item in record["figures"]:
        assert record["text"][item["start"] : item["end"]] == item["text"]
    return [(f["text"], f["label"], _exact(f["value"]), f["unit"]) for f in record["figures"]]


def _exact(value: Any) -> Any:
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return None if value is None else D(str(value))


def values(text: str) -> list[tuple[str, Any]]:
    return [(item["text"], item["value"]) for item in find_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("約占全國七分之一", [("七分之一", D(1) / D(7))]),
        ("有八分之三的學生", [("八分之三", D("0.375"))]),
        ("增加了2/5", [("2/5", D("0.4"))]),
        ("需要2又3/4杯", [("2又3/4", D("2.75"))]),
        ("約1 1/4英里", [("約1 1/4英里", D("1.25"))]),
        ("負一又四分之一", [("負一又四分之一", D("-1.25"))]),
    ],
)
def test_fractions(text: str, expected: list[tuple[str, Any]]) -> None:
    got = values(text)
    assert [(t, round(v, 20)) for t, v in got] == [(t, round(v, 20)) for t, v in expected]


def test_a_fraction_of_a_noun_counts_it() -> None:
    [figure] = zhextract.extract("全國四分之一的學校停課")["figures"]
    assert (figure["text"], figure["counted"]) == ("四分之一", "學校")


def test_not_fractions() -> None:
    assert values("分之一") == []
    assert values("十分之") == []
    assert found("2024/2/7") == []  # a date, read by the dates


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("第二千零十五章", 2015),
        ("共一萬零十一人", 10011),
        ("三千零五人", 3005),
        ("一千零一十人", 1010),
    ],
)
def test_zero_before_ten_implies_one(text: str, value: int) -> None:
    [(_, got)] = values(text)
    assert got == value


def test_an_ordinal_word_after_a_count_is_a_quantity() -> None:
    assert found("全書共一百零五章") == [("一百零五章", "QUANTITY", 105, "章")]
    assert found("富二代與二代健保") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("機率為零點七", [("零點七", D("0.7"))]),
        ("氣溫降到負三點二", [("負三點二", D("-3.2"))]),
        ("成長了四點五", [("四點五", D("4.5"))]),
        ("係數為.75", [(".75", D("0.75"))]),
        ("係數為-.25", [("-.25", D("-0.25"))]),
    ],
)
def test_decimals_and_signs_in_characters(text: str, expected: list[tuple[str, Any]]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    "text", ["一點一滴累積", "有一點點", "差一點就到", "下午三點開會", "1.2.3"]
)
def test_points_that_are_not_decimals(text: str) -> None:
    assert [item for item in find_figures(text) if item["label"] == "CARDINAL"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("買了三打雞蛋", [("三打", "CARDINAL", 36, None)]),
        ("人稱半百", [("半百", "CARDINAL", 50, None)]),
        ("損失約十餘萬", [("約十餘萬", "CARDINAL", 100_000, None)]),
        ("售價千三", [("千三", "CARDINAL", 1300, None)]),
        ("送她兩雙鞋", [("兩雙", "QUANTITY", 2, "雙")]),
        ("買了一對耳環", [("一對", "QUANTITY", 1, "對")]),
        ("養了五頭牛", [("五頭", "QUANTITY", 5, "頭")]),
        ("損失十萬", [("十萬", "CARDINAL", 100_000, None)]),
    ],
)
def test_counted_quantities(text: str, expected: list[tuple[Any, ...]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "一打開門就看到",
        "登陸部隊已上岸",
        "推動淨零升級",
        "情況十萬火急",
        "他一直說",
        "意見一致",
        "萬一失敗",
        "十分重要",
        "百貨公司",
        "陸續到場",
        "一個人",
    ],
)
def test_words_that_only_look_numeric(text: str) -> None:
    assert found(text) == []


def test_times_not_degrees() -> None:
    [visits] = zhextract.extract("總統七度訪美")["figures"]
    assert (visits["text"], visits["unit"], visits["counted"]) == ("七度", "次", "訪美")
    [heat] = zhextract.extract("氣溫飆到35度")["figures"]
    assert (heat["text"], heat["unit"], heat["counted"]) == ("35度", "度", None)


def test_powers() -> None:
    assert values("結果是2^10") == [("2^10", 1024)]


def test_bare_yuan_follows_the_script() -> None:
    assert found("这个杯子卖五元，价格很低。") == [("五元", "MONEY", 5, "CNY")]
    assert found("這個杯子賣五元，價格很低。") == [("五元", "MONEY", 5, "TWD")]


def test_yuan_currency_setting_overrides_the_script() -> None:
    settings = FigureSettings(yuan_currency="HKD")
    [figure] = find_figures("这个杯子卖五元", settings=settings)
    assert figure["unit"] == "HKD"


def test_net_buying_is_not_an_approximation() -> None:
    assert found("外資買超新臺幣30億元，投信賣超5億元，超過8億元") == [
        ("新臺幣30億元", "MONEY", 3_000_000_000, "TWD"),
        ("5億元", "MONEY", 500_000_000, "TWD"),
        ("超過8億元", "MONEY", 800_000_000, "TWD"),
    ]


def test_jiao_and_mao_after_an_amount() -> None:
    assert found("匯率升值3.5角") == [("3.5角", "MONEY", D("0.35"), "TWD")]
    assert found("這裡有三角形") == []


def test_index_points_and_their_ranges() -> None:
    assert found("指數收在17,892.5點，區間為17,000點至18,200點。") == [
        ("17,892.5點", "QUANTITY", D("17892.5"), "點"),
        ("17,000點至18,200點", "QUANTITY", [17000, 18200], "點"),
    ]
    assert found("一點也不奇怪") == []


def test_power_and_energy_units() -> None:
    assert found("新增2.6 GW，另有120MW，年發電30億度電") == [
        ("2.6 GW", "QUANTITY", D("2.6"), "GW"),
        ("120MW", "QUANTITY", 120, "兆瓦"),
        ("30億度電", "QUANTITY", 3_000_000_000, "千瓦時"),
    ]


def test_english_scale_words() -> None:
    assert found("投資US$40 billion與NT$3 trillion") == [
        ("US$40 billion", "MONEY", 40_000_000_000, "USD"),
        ("NT$3 trillion", "MONEY", 3_000_000_000_000, "TWD"),
    ]
    assert found("共2 millionaires") == [("2", "CARDINAL", 2, None)]


def test_a_little_over_or_under_a_share() -> None:
    assert [(f["text"], f["approx"]) for f in zhextract.extract("約占四分之三強。")["figures"]] == [
        ("四分之三強", "over")
    ]
    assert [(f["text"], f["approx"]) for f in zhextract.extract("市占兩成弱，")["figures"]] == [
        ("兩成弱", "under")
    ]
    assert [(f["text"], f["approx"]) for f in zhextract.extract("三成強勢回歸")["figures"]] == [
        ("三成", None)
    ]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("收費500港元", "HKD"),
        ("票價HK$80", "HKD"),
        ("港幣3萬", "HKD"),
        ("澳門元200", "MOP"),
        ("售價120澳門幣", "MOP"),
        ("匯入300澳元", "AUD"),
    ],
)
def test_hong_kong_and_macau_dollars(text: str, unit: str) -> None:
    assert [f["unit"] for f in zhextract.extract(text)["figures"]] == [unit]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("工程預算3至5億元", ("3至5億元", "MONEY", [D(300000000), D(500000000)], "TWD")),
        ("預估湧入3到5萬人次", ("3到5萬人次", "QUANTITY", [D(30000), D(50000)], "人次")),
        ("罰款三千至五千萬元", ("三千至五千萬元", "MONEY", [D(30000000), D(50000000)], "TWD")),
        ("1.5至2兆元的商機", ("1.5至2兆元", "MONEY", [D("1.5e12"), D("2e12")], "TWD")),
        ("每場8000至1萬人", ("8000至1萬人", "QUANTITY", [D(8000), D(10000)], "人")),  # in order
        ("3億至5億元", ("3億至5億元", "MONEY", [D(300000000), D(500000000)], "TWD")),
        ("錄取3至5人", ("3至5人", "QUANTITY", [D(3), D(5)], "人")),  # no big unit to share
    ],
)
def test_the_big_unit_of_a_range_end_is_shared(text: str, expected: tuple[Any, ...]) -> None:
    assert found(text) == [expected]


@pytest.mark.parametrize(
    ("text", "value"),
    [("捐款一百零幾萬元", 1000000), ("現場三百零幾人", 300), ("約三百多人", 300)],
)
def test_some_inside_a_numeral_is_said_against_its_round_number(text: str, value: int) -> None:
    # As 十幾萬 is 10萬 and 二十幾人 20: the value is the numeral without 幾/多, flagged.
    assert [figure[2] for figure in found(text)] == [D(value)]
