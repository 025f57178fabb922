"""The figures stage: money, percentages, quantities, ranges, approximations, rates,
ordinals and durations, each with an exact value; and the golden seed document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import zhextract
from zhextract.doc import Doc, Span
from zhextract.stages.figures.extract import FigureSettings, find_figures

D = Decimal


def run(text: str, doc_date: str | None = None) -> Doc:
    """The default pipeline on `text`, keeping exact Decimals (no JSON conversion)."""
    from zhextract.doc import parse_doc_date

    doc = Doc.from_text(text, doc_date=parse_doc_date(doc_date))
    return zhextract.load("default").process(doc)


def figure_with_text(doc: Doc, text: str) -> Span:
    matches = [item for item in doc.figures if item["text"] == text]
    assert len(matches) == 1, f"{text!r} not found once in {[f['text'] for f in doc.figures]}"
    return matches[0]


def check(sentence: str, expected: dict[str, Any]) -> Span:
    doc = run(sentence)
    figure = figure_with_text(doc, expected["text"])
    for key, value in expected.items():
        assert figure.get(key) == value, (key, figure)
    assert doc.text[figure["start"] : figure["end"]] == figure["text"]
    return figure


def fig(text: str, label: str, value: Any, unit: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"text": text, "label": label, "value": value, "unit": unit} | extra


ARABIC_AND_CHINESE = [
    ("出席者共1,250人。", fig("1,250人", "QUANTITY", D(1250), "人")),
    ("去年營收成長到３５００萬元。", fig("3500萬元", "MONEY", D(35_000_000), "TWD")),
    ("全案預算一百二十億元。", fig("一百二十億元", "MONEY", D(12_000_000_000), "TWD")),
    ("補助金額為壹仟貳佰萬元。", fig("壹仟貳佰萬元", "MONEY", D(12_000_000), "TWD")),
    ("這批物資共三萬四千箱。", fig("三萬四千", "CARDINAL", D(34_000), None)),
    ("利率調升0.125個百分點。", fig("0.125個百分點", "PERCENT", D("0.00125"), "percentage_point")),
    ("庫存只剩兩千三百公噸。", fig("兩千三百公噸", "QUANTITY", D(2300), "公噸")),
]

MONEY = [
    ("對美投資1兆美元。", fig("1兆美元", "MONEY", D(10**12), "USD")),
    ("投入美金300萬。", fig("美金300萬", "MONEY", D(3_000_000), "USD")),
    ("售價US$1,299。", fig("US$1,299", "MONEY", D(1299), "USD")),
    ("營收達新臺幣5,000億元。", fig("新臺幣5,000億元", "MONEY", D(500_000_000_000), "TWD")),
    (
        "約新台幣20億元的預算",
        fig("約新台幣20億元", "MONEY", D(2_000_000_000), "TWD", approx="about"),
    ),
    ("每張票NT$500", fig("NT$500", "MONEY", D(500), "TWD")),
    ("罰款30萬元。", fig("30萬元", "MONEY", D(300_000), "TWD")),
    ("援助3億日圓。", fig("3億日圓", "MONEY", D(300_000_000), "JPY")),
    ("價格為5000円。", fig("5000円", "MONEY", D(5000), "JPY")),
    ("投資2,000億歐元。", fig("2,000億歐元", "MONEY", D(200_000_000_000), "EUR")),
    ("收購價人民幣45億元。", fig("人民幣45億元", "MONEY", D(4_500_000_000), "CNY")),
    ("收購價为45亿元人民币。", fig("45亿元人民币", "MONEY", D(4_500_000_000), "CNY")),
    ("每股1.95港元。", fig("每股1.95港元", "MONEY", D("1.95"), "HKD", per="股")),
    ("票價HK$300。", fig("HK$300", "MONEY", D(300), "HKD")),
    ("報價USD 100", fig("USD 100", "MONEY", D(100), "USD")),
    ("報價100 USD", fig("100 USD", "MONEY", D(100), "USD")),
    ("虧損8億英鎊。", fig("8億英鎊", "MONEY", D(800_000_000), "GBP")),
    ("一份午餐9000韓元。", fig("9000韓元", "MONEY", D(9000), "KRW")),
    ("這個杯子五元三毛。", fig("五元三毛", "MONEY", D("5.3"), "TWD")),
    ("匯價是1美元兌150日元20銭。", fig("150日元20銭", "MONEY", D("150.2"), "JPY")),
    ("這杯茶花了我三塊。", fig("三塊", "MONEY", D(3), "TWD")),
    ("他買了三塊蛋糕。", fig("三塊", "QUANTITY", D(3), "塊", counted="蛋糕")),
]

PERCENTAGES = [
    ("經濟成長3.5%。", fig("3.5%", "PERCENT", D("0.035"), "%")),
    ("失業率降到４％。", fig("4%", "PERCENT", D("0.04"), "%")),
    ("支持度為百分之四十五。", fig("百分之四十五", "PERCENT", D("0.45"), "%")),
    ("死亡率千分之三。", fig("千分之三", "PERCENT", D("0.003"), "‰")),
    ("酒精濃度5‰。", fig("5‰", "PERCENT", D("0.005"), "‰")),
    ("支持率上升2個百分點。", fig("2個百分點", "PERCENT", D("0.02"), "percentage_point")),
    ("約三成民眾贊成。", fig("約三成", "PERCENT", D("0.3"), "成", approx="about")),
    ("七成六的受訪者", fig("七成六", "PERCENT", D("0.76"), "成")),
    ("全面八折。", fig("八折", "PERCENT", D("0.8"), "折")),
    ("限時六五折。", fig("六五折", "PERCENT", D("0.65"), "折")),
    ("產值成長3倍。", fig("3倍", "PERCENT", D(3), "倍")),
    ("跌幅達-2.5%。", fig("-2.5%", "PERCENT", D("-0.025"), "%")),
]

QUANTITIES = [
    ("出動10架戰機。", fig("10架", "QUANTITY", D(10), "架", counted="戰機")),
    ("派出3艘軍艦。", fig("3艘", "QUANTITY", D(3), "艘", counted="軍艦")),
    ("共有20名士兵受傷。", fig("20名", "QUANTITY", D(20), "名", counted="士兵")),
    ("邀請5位專家。", fig("5位", "QUANTITY", D(5), "位", counted="專家")),
    ("共有12家企業參加。", fig("12家", "QUANTITY", D(12), "家", counted="企業")),
    ("兩國元首會晤。", fig("兩國", "QUANTITY", D(2), "國", counted=None)),
    ("增設3所大學。", fig("3所", "QUANTITY", D(3), "所", counted="大學")),
    ("已舉行17回合磋商", fig("17回合", "QUANTITY", D(17), "回合", counted="磋商")),
    ("創造100萬就業機會", fig("100萬", "CARDINAL", D(1_000_000), None, counted="就業機會")),
    ("召集三大軟體公司開會", fig("三大", "CARDINAL", D(3), None, counted="軟體公司")),
    ("全長300公里。", fig("300公里", "QUANTITY", D(300), "公里")),
    ("進口100萬公噸小麥", fig("100萬公噸", "QUANTITY", D(1_000_000), "公噸")),
    ("日產50萬桶原油", fig("50萬桶", "QUANTITY", D(500_000), "桶")),
    ("面積約30坪。", fig("約30坪", "QUANTITY", D(30), "坪", approx="about")),
    ("造林12公頃。", fig("12公頃", "QUANTITY", D(12), "公頃")),
    ("每月用電350度。", fig("350度", "QUANTITY", D(350), "度")),
    ("身高168cm。", fig("168cm", "QUANTITY", D(168), "公分")),
    ("一噸半的貨物", fig("一噸半", "QUANTITY", D("1.5"), "公噸")),
]

RANGES = [
    ("派遣2至4艘巡邏船", fig("2至4艘", "QUANTITY", [D(2), D(4)], "艘", counted="巡邏船")),
    ("預計20到30人出席", fig("20到30人", "QUANTITY", [D(20), D(30)], "人")),
    ("工期3~5年。", fig("3~5年", "DATE", [D(3), D(5)], "年")),
    ("氣溫在20與30度之間", fig("20與30度之間", "QUANTITY", [D(20), D(30)], "度")),
    ("價格3億至5億美元", fig("3億至5億美元", "MONEY", [D(300_000_000), D(500_000_000)], "USD")),
    ("死傷10-20人", fig("10-20人", "QUANTITY", [D(10), D(20)], "人")),
    ("幾十個國家", fig("幾十個", "QUANTITY", [D(20), D(90)], "個", approx="about")),
    ("有三、四十人", fig("三、四十人", "QUANTITY", [D(30), D(40)], "人")),
    ("近一、二年", fig("近一、二年", "DATE", [D(1), D(2)], "年", approx="near")),
    ("來了兩三個人", fig("兩三個", "QUANTITY", [D(2), D(3)], "個")),
    ("虧損五六百萬元", fig("五六百萬元", "MONEY", [D(5_000_000), D(6_000_000)], "TWD")),
]

APPROXIMATIONS = [
    ("時隔近25年", fig("近25年", "DATE", D(25), "年", approx="near")),
    ("將近一半的人", fig("將近一半", "PERCENT", D("0.5"), "半", approx="near")),
    ("約500人參加", fig("約500人", "QUANTITY", D(500), "人", approx="about")),
    ("逾千人受害", fig("逾千人", "QUANTITY", D(1000), "人", approx="over")),
    ("超過1萬人", fig("超過1萬人", "QUANTITY", D(10_000), "人", approx="over")),
    ("簽署上百項行政命令", fig("上百項", "QUANTITY", D(100), "項", approx="over")),
    ("有100多人", fig("100多人", "QUANTITY", D(100), "人", approx="over")),
    ("約3萬餘人", fig("約3萬餘人", "QUANTITY", D(30_000), "人", approx="about")),
    ("有50人左右", fig("50人左右", "QUANTITY", D(50), "人", approx="about")),
    ("18歲以上", fig("18歲以上", "QUANTITY", D(18), "歲", approx="over")),
    ("20歲以下", fig("20歲以下", "QUANTITY", D(20), "歲", approx="under")),
    ("不到10人", fig("不到10人", "QUANTITY", D(10), "人", approx="under")),
    ("至少5人", fig("至少5人", "QUANTITY", D(5), "人", approx="over")),
    ("最多3次", fig("最多3次", "QUANTITY", D(3), "次", approx="under")),
    ("十幾個人", fig("十幾個", "QUANTITY", D(10), "個", approx="about")),
]

RATES = [
    ("油價每桶70美元", fig("每桶70美元", "MONEY", D(70), "USD", per="桶")),
    ("補助每人每月1.5萬元", fig("每人每月1.5萬元", "MONEY", D(15_000), "TWD", per="人/月")),
    ("每個月2次進入海域", fig("每個月2次", "QUANTITY", D(2), "次", per="月")),
    ("油價70美元/桶", fig("70美元/桶", "MONEY", D(70), "USD", per="桶")),
]

ORDINALS = [
    ("條約第5條規定", fig("第5條", "ORDINAL", D(5), "條")),
    ("第17回合談判", fig("第17回合", "ORDINAL", D(17), "回合")),
    ("今年第三屆大會", fig("第三屆", "ORDINAL", D(3), "屆")),  # 第三季 is a date (2025-Q3)
    ("排名第２５０", fig("第250", "ORDINAL", D(250), None)),
]

DURATIONS = [
    ("未來4年", fig("4年", "DATE", D(4), "年", kind="duration")),
    ("為期三個月", fig("三個月", "DATE", D(3), "月", kind="duration")),
    ("停留兩週", fig("兩週", "DATE", D(2), "週", kind="duration")),
    ("等了36小時", fig("36小時", "DATE", D(36), "小時", kind="duration")),
    ("三年半以來", fig("三年半", "DATE", D("3.5"), "年", kind="duration")),
]

SIMPLIFIED = [
    ("投资1万亿日元", fig("1万亿日元", "MONEY", D(10**12), "JPY")),
    ("带动就业超10万人", fig("超10万人", "QUANTITY", D(100_000), "人", approx="over")),
    ("养殖小龙虾387万亩", fig("387万亩", "QUANTITY", D(3_870_000), "畝")),
    ("两成的用户", fig("两成", "PERCENT", D("0.2"), "成")),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    ARABIC_AND_CHINESE + MONEY + PERCENTAGES + QUANTITIES + RANGES + APPROXIMATIONS,
)
def test_figures(sentence: str, expected: dict[str, Any]) -> None:
    check(sentence, expected)


@pytest.mark.parametrize(("sentence", "expected"), RATES + ORDINALS + DURATIONS + SIMPLIFIED)
def test_rates_ordinals_durations_simplified(sentence: str, expected: dict[str, Any]) -> None:
    check(sentence, expected)


@pytest.mark.parametrize(
    "sentence",
    [
        "他一直反對，也有一些人支持統一。",
        "兩岸關係緊張。",
        "拜登重視G7功能。",
        "採購F-16戰機。",
        "舉行「2+2」會議。",
        "請洽02-2345-6789或0912-345-678。",
        "一、前言",
        "（一）背景說明",
        "這是一項改變，每一項都很重要。",
        "千萬不要放棄，萬一失敗呢？",
        "十分重要。",
        "網址 https://example.com/a?q=30%25 查詢",
        "採用5G技術。",
        "第一夫人出席，第三方機構也在第一時間回應。",
        "電子零組件與零件出口。",
    ],
)
def test_not_figures(sentence: str) -> None:
    assert run(sentence).figures == []


def test_a_numeral_that_does_not_parse_is_shortened_to_one_that_does() -> None:
    check("百分之七十百分位", fig("百分之七十", "PERCENT", D("0.7"), "%"))


def test_a_digit_string_is_not_a_range() -> None:
    check("共一二三四人", fig("一二三四人", "QUANTITY", D(1234), "人"))
    assert run("編號一二三四的人").figures == []  # a bare digit string is a code, not a count


def test_half_does_not_swallow_the_next_word() -> None:
    figure = check("3家半導體廠", fig("3家", "QUANTITY", D(3), "家"))
    assert figure["end"] - figure["start"] == 2


def test_one_with_a_classifier_is_an_article_but_with_a_unit_a_figure() -> None:
    assert [f["text"] for f in run("這是一個問題。").figures] == []
    check("為期一年", fig("一年", "DATE", D(1), "年"))
    check("只要一美元", fig("一美元", "MONEY", D(1), "USD"))


def test_full_width_comma_groups_only_full_width_digits() -> None:
    check("比例百分之９，９９９", fig("百分之9，999", "PERCENT", D("99.99"), "%"))
    texts = [f["text"] for f in run("價格$20，300美元").figures]
    assert texts == ["$20", "300美元"]


def test_figures_never_overlap_entities_or_dates() -> None:
    doc = Doc.from_text("x")
    doc.text = "2025年3月5日第5條共10人"
    blocked = [False] * len(doc.text)
    blocked[0:9] = [True] * 9  # as if a date stood there
    found = find_figures(doc.text, blocked)
    assert [item["text"] for item in found] == ["第5條", "10人"]
    blocked[9:12] = [True] * 3  # and an entity over 第5條
    assert [item["text"] for item in find_figures(doc.text, blocked)] == ["10人"]


def test_currency_names_from_the_table() -> None:
    # Called without entities: the entities stage may tag 瑞士 inside 瑞士法郎.
    found = find_figures("兌換1.0092瑞士法郎或30加元")
    assert [(f["text"], f["value"], f["unit"]) for f in found] == [
        ("1.0092瑞士法郎", D("1.0092"), "CHF"),
        ("30加元", D(30), "CAD"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("約有20%至30%的人", fig("約有20%至30%", "PERCENT", [D("0.2"), D("0.3")], "%")),
        ("3億美元到5億美元", fig("3億美元到5億美元", "MONEY", [D(3 * 10**8), D(5 * 10**8)], "USD")),
        ("共5人至10人", fig("5人至10人", "QUANTITY", [D(5), D(10)], "人")),
    ],
)
def test_a_range_that_repeats_its_unit_is_one_figure(
    sentence: str, expected: dict[str, Any]
) -> None:
    check(sentence, expected)


def test_a_range_of_unlike_figures_stays_two_figures() -> None:
    texts = [(f["text"], f["unit"]) for f in run("5人至10年").figures]
    assert texts == [("5人", "人"), ("10年", "年")]


def test_with_no_noun_after_it_a_count_names_the_noun_before_it() -> None:
    doc = run("偵獲共機27架、美國9艘，出動戰機5架次。")
    counted = [(f["text"], f["unit"], f["counted"]) for f in doc.figures]
    assert counted == [("27架", "架", "共機"), ("9艘", "艘", None), ("5架次", "架次", "戰機")]
    doc = run("公務船2艘，合計超過1,000架次，其中17架次逾越中線。")
    counted = [(f["text"], f["counted"]) for f in doc.figures]
    assert counted == [("2艘", "公務船"), ("超過1,000架次", None), ("17架次", None)]


def test_below_zero_is_negative() -> None:
    check("氣溫零下5度", fig("零下5度", "QUANTITY", D(-5), "度"))


def test_a_number_after_a_latin_word_is_a_model_name() -> None:
    assert run("蘋果推出iPhone 15。").figures == []
    assert run("Windows 11更新").figures == []
    check("報價USD 100", fig("USD 100", "MONEY", D(100), "USD"))


def test_a_currency_named_without_an_amount_is_money_with_no_value() -> None:
    doc = run("人民幣兌美元走弱，歐元區則以歐元計價30億歐元。")
    named = [(f["text"], f["value"], f["unit"], f.get("kind")) for f in doc.figures]
    assert named == [
        ("人民幣", None, "CNY", "currency_name"),
        ("美元", None, "USD", "currency_name"),
        ("歐元", None, "EUR", "currency_name"),
        ("30億歐元", D(3_000_000_000), "EUR", None),
    ]
    assert find_figures("新元素與加元", settings=FigureSettings()) == []
    quiet = FigureSettings(currency_names=False)
    assert find_figures("人民幣兌美元", settings=quiet) == []


def test_approximation_words_inside_other_words_are_not_approximations() -> None:
    check("依條約第5條", fig("第5條", "ORDINAL", D(5), "條", approx=None))
    check("合約3年", fig("3年", "DATE", D(3), "年", approx=None))
    check("最近3年", fig("3年", "DATE", D(3), "年", approx=None))


def test_bare_yuan_currency_is_a_setting() -> None:
    found = find_figures("花了50元", settings=FigureSettings(yuan_currency="CNY"))
    assert [(item["text"], item["unit"]) for item in found] == [("50元", "CNY")]
    assert find_figures("花了50元")[0]["unit"] == "TWD"
    assert find_figures("售價$30")[0]["unit"] == "USD"
    found = find_figures("售價$30", settings=FigureSettings(dollar_currency="TWD"))
    assert found[0]["unit"] == "TWD"


def test_settings_come_from_the_pipeline_config(tmp_path: Any) -> None:
    cfg = tmp_path / "cny.cfg"
    cfg.write_text(
        '[pipeline]\nname = "cny"\nstages = ["normalize", "figures"]\n\n[stages]\n\n'
        '[stages.normalize]\nfactory = "normalize"\n\n'
        '[stages.figures]\nfactory = "figures"\nyuan_currency = "CNY"\n',
        encoding="utf-8",
    )
    record = zhextract.load(str(cfg))("花了50元")
    assert [(f["text"], f["unit"]) for f in record["figures"]] == [("50元", "CNY")]


def test_values_are_exact_decimals_and_json_exact_ints() -> None:
    doc = run("投資1.5兆美元")
    assert doc.figures[0]["value"] == Decimal(1_500_000_000_000)
    record = zhextract.extract("投資1.5兆美元")
    assert record["figures"][0]["value"] == 1_500_000_000_000
    assert isinstance(record["figures"][0]["value"], int)


# --- the user's sample document ---------------------------------------------------------

SEED_FIGURES = [
    ("1兆美元", "MONEY", 10**12, "USD", None, None),
    ("100萬", "CARDINAL", 1_000_000, None, "就業機會", None),
    ("4年", "DATE", 4, "年", None, None),
    ("1兆美元", "MONEY", 10**12, "USD", None, None),
    ("第5條", "ORDINAL", 5, "條", None, None),
    ("兩國", "QUANTITY", 2, "國", None, None),
    ("1兆美元", "MONEY", 10**12, "USD", None, None),
    ("1兆美元", "MONEY", 10**12, "USD", None, None),
    ("兩國", "QUANTITY", 2, "國", None, None),
    ("近25年", "DATE", 25, "年", None, "near"),
    ("每個月2次", "QUANTITY", 2, "次", None, None),
    ("2至4艘", "QUANTITY", [2, 4], "艘", "巡邏船", None),
    ("1艘", "QUANTITY", 1, "艘", None, None),
    ("兩國", "QUANTITY", 2, "國", None, None),
    ("17回合", "QUANTITY", 17, "回合", "磋商", None),
    ("兩國", "QUANTITY", 2, "國", None, None),
    ("4年", "DATE", 4, "年", None, None),
    ("第5條", "ORDINAL", 5, "條", None, None),
    ("上百項", "QUANTITY", 100, "項", "行政命令", "over"),
    ("三大", "CARDINAL", 3, None, "軟體公司", None),
    ("5,000億美元", "MONEY", 500_000_000_000, "USD", None, None),
    ("2,000億歐元", "MONEY", 200_000_000_000, "EUR", None, None),
    ("3個", "QUANTITY", 3, "個", "AI集團", None),
]

SEED_DATES = [
    ("今(2025)年2月7日", "2025-02-07"),
    ("2月10日", "2025-02-10"),
    ("2001年7月", "2001-07"),
]


def test_seed_figures_are_exactly_right(seed_record: dict[str, Any]) -> None:
    found = [
        (f["text"], f["label"], f["value"], f["unit"], f["counted"], f["approx"])
        for f in seed_record["figures"]
    ]
    assert found == SEED_FIGURES
    rate = next(f for f in seed_record["figures"] if f["text"] == "每個月2次")
    assert rate["per"] == "月"
    durations = [f for f in seed_record["figures"] if f["label"] == "DATE"]
    assert {f["kind"] for f in durations} == {"duration"}


def test_seed_dates_are_exactly_right(seed_record: dict[str, Any]) -> None:
    assert [(d["text"], d["value"]) for d in seed_record["dates"]] == SEED_DATES


def test_seed_spans_are_consistent(seed_record: dict[str, Any]) -> None:
    text = seed_record["text"]
    taken = [(e["start"], e["end"]) for e in seed_record["entities"] + seed_record["dates"]]
    for item in seed_record["figures"] + seed_record["dates"]:
        assert text[item["start"] : item["end"]] == item["text"]
    for figure in seed_record["figures"]:
        assert all(figure["end"] <= start or end <= figure["start"] for start, end in taken)


def test_figures_eval_skips_cleanly_without_data(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zhextract.eval import figures as figures_eval

    monkeypatch.setenv("ZHEXTRACT_EVAL_DIR", str(tmp_path))
    assert figures_eval.main([]) == 0
    assert "skipped" in capsys.readouterr().out


def test_figures_eval_value_keys() -> None:
    from zhextract.eval.figures import fold, value_key

    assert value_key("65%") == value_key(Decimal("65")) == "65"
    assert value_key("0.333333333333333") == value_key(Decimal(1) / Decimal(3))
    assert value_key("2.02107211321364E+23") == value_key(Decimal("202107211321363588510367"))
    assert fold("１０ 成") == "10成"


@pytest.mark.parametrize(
    ("text", "entities", "figures"),
    [
        ("他花了100瑞士法郎。", [], [("100瑞士法郎", "MONEY")]),
        ("增長了萬分之肆。", [], [("萬分之肆", "PERCENT")]),
        ("二次大戰結束。", [("二次大戰", "EVENT")], []),
        ("第一銀行今天開會。", [("第一銀行", "ORG")], []),
        ("第一金控宣布合作。", [("第一金控", "ORG")], []),
    ],
)
def test_figures_and_entities_never_overlap(
    text: str, entities: list[tuple[str, str]], figures: list[tuple[str, str]]
) -> None:
    record = zhextract.extract(text)
    assert [(e["text"], e["label"]) for e in record["entities"]] == entities
    assert [(f["text"], f["label"]) for f in record["figures"]] == figures
