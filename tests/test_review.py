"""The review page: structure, highlights, tables, warnings, escaping, no network resources."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from output_records import entity, figure, make_record, span, write_outdir

from zhextract.review import format_value, label_colours, write_review

TEXT_A = (
    "臺北市政府2025年4月宣布投資5,000億元，約佔預算的12%。\n臺北市政府表示，明年三月將在高雄開會。"
)
TEXT_B = "標題<script>alert(1)</script>與 A&B 公司。"


class Page(HTMLParser):
    """Collects tags, mark contents (nesting aware), text per element class and table rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.marks: list[dict] = []
        self._open_marks: list[dict] = []
        self.doc_texts: list[str] = []
        self._in_doc_text = 0
        self.rows: dict[str, list[list[str]]] = {}
        self._table: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.warnings: list[str] = []
        self._warning: list[str] | None = None
        self.source = ""

    def read(self, source: str) -> None:
        self.source = source
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        self.tags.append((tag, attributes))
        classes = attributes.get("class", "").split()
        if tag == "mark":
            mark = {"attrs": attributes, "text": "", "parent": None}
            if self._open_marks:
                mark["parent"] = self._open_marks[-1]["attrs"].get("data-label")
            self.marks.append(mark)
            self._open_marks.append(mark)
        if tag == "div" and "doc-text" in classes:
            self.doc_texts.append("")
            self._in_doc_text = 1
        elif tag == "div" and self._in_doc_text:
            self._in_doc_text += 1
        if tag == "table":
            self._table.append(attributes.get("class", ""))
            self.rows.setdefault(self._table[-1], [])
        if tag == "tr" and self._table:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []
        if tag == "li" and "warning" in classes:
            self._warning = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._open_marks.pop()
        if tag == "div" and self._in_doc_text:
            self._in_doc_text -= 1
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows[self._table[-1]].append(self._row)
            self._row = None
        if tag == "table":
            self._table.pop()
        if tag == "li" and self._warning is not None:
            self.warnings.append("".join(self._warning))
            self._warning = None

    def handle_data(self, data: str) -> None:
        for mark in self._open_marks:
            mark["text"] += data
        if self._in_doc_text:
            self.doc_texts[-1] += data
        if self._cell is not None:
            self._cell.append(data)
        if self._warning is not None:
            self._warning.append(data)

    def with_tag(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def records() -> dict[str, dict]:
    record_a = make_record(
        TEXT_A,
        entities=[
            entity(TEXT_A, "臺北市政府", "ORG"),
            entity(TEXT_A, "臺北市政府", "ORG", nth=1),
            {**entity(TEXT_A, "臺北市", "GPE"), "source": "gazetteer"},
            entity(TEXT_A, "高雄", "GPE"),
        ],
        figures=[
            # A DATE figure with a date's extent: the date's mark stands for both.
            figure(TEXT_A, "2025年4月", "DATE", 2025),
            figure(TEXT_A, "5,000億元", "MONEY", 500000000000, "TWD"),
            figure(TEXT_A, "12%", "PERCENT", 0.12, "%", approx="about"),
        ],
        dates=[
            span(TEXT_A, "2025年4月", value="2025-04"),
            span(TEXT_A, "明年三月", value=None, reason="relative date, no doc_date"),
        ],
        warnings=["structure: no title found"],
        title="政策 <新聞>",
        path="news/a.txt",
    )
    record_b = make_record(
        TEXT_B,
        entities=[
            entity(TEXT_B, "<script>alert(1)</script>", "WORK_OF_ART"),
            entity(TEXT_B, "A&B 公司", "ORG"),
            # Crosses the entity above: reported, not highlighted.
            entity(TEXT_B, "script>與", "ORG"),
        ],
        path="b.txt",
    )
    return {"a.json": record_a, "z/b.json": record_b}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Page:
    base = tmp_path_factory.mktemp("review")
    outdir = write_outdir(
        base / "out", records(), failed=[{"path": "bad<1>.txt", "reason": "not UTF-8 & not Big5"}]
    )
    html_path = base / "review.html"
    assert write_review(outdir, html_path) == 0
    parsed = Page()
    parsed.read(html_path.read_text(encoding="utf-8"))
    return parsed


def test_document_text_is_shown_exactly(page: Page) -> None:
    assert page.doc_texts == [TEXT_A, TEXT_B]


def test_one_mark_per_entity_figure_and_date_with_its_label(page: Page) -> None:
    shown = [(mark["attrs"]["data-label"], mark["text"], mark["parent"]) for mark in page.marks]
    assert shown == [
        ("ORG", "臺北市政府", None),
        ("GPE", "臺北市", "ORG"),
        ("DATE", "2025年4月", None),
        ("MONEY", "5,000億元", None),
        ("PERCENT", "12%", None),
        ("ORG", "臺北市政府", None),
        ("DATE", "明年三月", None),
        ("GPE", "高雄", None),
        ("WORK_OF_ART", "<script>alert(1)</script>", None),
        ("ORG", "A&B 公司", None),
    ]
    assert [mark["attrs"]["title"] for mark in page.marks[:2]] == ["ORG", "GPE · gazetteer"]
    classes = [mark["attrs"]["class"] for mark in page.marks]
    assert classes.count("span fig") == 2 and classes.count("span ent") == 6
    assert classes.count("span date") == 1 and classes.count("span date unresolved") == 1


def test_figure_marks_carry_value_and_unit(page: Page) -> None:
    figures = [mark["attrs"] for mark in page.marks if "fig" in mark["attrs"]["class"]]
    assert [attrs["data-value"] for attrs in figures] == ["500,000,000,000 TWD", "~12%"]
    assert figures[0]["title"] == "MONEY; value: 500,000,000,000; unit: TWD"
    assert figures[1]["title"] == "PERCENT; value: 0.12; unit: %; approx: about"


def test_date_marks_carry_the_iso_value_or_are_marked_unresolved(page: Page) -> None:
    dates = [mark["attrs"] for mark in page.marks if "date" in mark["attrs"]["class"]]
    assert [(attrs["data-value"], attrs["class"]) for attrs in dates] == [
        ("2025-04", "span date"),
        ("?", "span date unresolved"),
    ]
    assert dates[0]["title"] == "DATE; value: 2025-04"
    assert dates[1]["title"] == "DATE; unresolved: relative date, no doc_date"


def test_format_value_ranges_and_missing() -> None:
    assert format_value({"value": [3, 5], "unit": "萬人", "approx": "over"}) == ">3–5 萬人"
    assert format_value({"value": "12345678901234567.5", "per": "年"}) == "12345678901234567.5/年"
    assert format_value({"value": None, "unit": "元"}) == ""


@pytest.mark.parametrize(
    ("figure_fields", "shown"),
    [
        ({"value": 0.117, "unit": "%"}, "11.7%"),
        ({"value": 0.0281, "unit": "%", "approx": "about"}, "~2.81%"),
        ({"value": [0.03, 0.05], "unit": "%"}, "3–5%"),
        ({"value": 0.3, "unit": "成"}, "30%"),
        ({"value": 0.8, "unit": "折"}, "80%"),
        ({"value": 0.02, "unit": "percentage_point"}, "2 pp"),
        ({"value": 3, "unit": "倍"}, "3 倍"),  # a multiple, not a share
    ],
)
def test_percent_values_show_as_percent(figure_fields: dict, shown: str) -> None:
    assert format_value({"label": "PERCENT", **figure_fields}) == shown


def test_a_fraction_that_is_not_a_percent_stays_as_it_is() -> None:
    assert format_value({"label": "QUANTITY", "value": 0.5, "unit": "%"}) == "0.5 %"


def test_header_states_each_summary_once(page: Page) -> None:
    # The run.json written by the fixture also says "documents": 3 (with the failed one).
    (text,) = re.findall(r'<p class="summary">(.*?)</p>', page.source)
    assert text.split(" · ") == ["2 documents", "1 failed", "7 entities", "3 figures", "2 dates"]


def test_header_shows_the_runs_settings_once(tmp_path: Path) -> None:
    outdir = write_outdir(tmp_path / "out", {"a.json": records()["a.json"]})
    run = {"pipeline": "default", "documents": 1, "ok": 1, "failed": [], "chars": 40}
    (outdir / "run.json").write_text(json.dumps(run), encoding="utf-8")
    assert write_review(outdir, tmp_path / "r.html") == 0
    source = (tmp_path / "r.html").read_text(encoding="utf-8")
    (text,) = re.findall(r'<p class="summary">(.*?)</p>', source)
    assert text.split(" · ") == [
        "1 document",
        "0 failed",
        "4 entities",
        "3 figures",
        "2 dates",
        "pipeline: default",
        "chars: 40",
    ]


def test_legend_has_a_checked_filter_and_colour_per_label(page: Page) -> None:
    filters = [attrs for attrs in page.with_tag("input") if "data-filter" in attrs]
    labels = [attrs["data-filter"] for attrs in filters]
    used = {"GPE", "ORG", "WORK_OF_ART", "MONEY", "PERCENT", "DATE"}
    assert labels == [label for label in label_colours() if label in used]  # labels.json order
    assert all(attrs["type"] == "checkbox" and "checked" in attrs for attrs in filters)
    colours = label_colours()
    for label in labels:
        assert f'mark.span[data-label="{label}"]' in page.source
        assert colours[label] in page.source


def test_document_list_links_to_each_document(page: Page) -> None:
    links = [attrs["href"] for attrs in page.with_tag("a") if attrs.get("href", "").startswith("#")]
    articles = [attrs["id"] for attrs in page.with_tag("article")]
    assert articles == ["doc-1", "doc-2"]
    assert links[:2] == ["#doc-1", "#doc-2"]


def test_entity_and_figure_tables(page: Page) -> None:
    entity_tables = page.rows["entities"]
    assert entity_tables[0] == ["Surface", "Label", "Count"]
    assert ["臺北市政府", "ORG", "2"] in entity_tables
    assert ["臺北市", "GPE", "1"] in entity_tables
    assert ["<script>alert(1)</script>", "WORK_OF_ART", "1"] in entity_tables
    assert page.rows["figures"] == [
        ["Text", "Label", "Value", "Unit", "Counted", "Approx"],
        ["2025年4月", "DATE", "2,025", "", "", ""],
        ["5,000億元", "MONEY", "500,000,000,000", "TWD", "", ""],
        ["12%", "PERCENT", "12%", "%", "", "about"],
    ]
    assert ["臺北市政府", "ORG", "2", "1"] in page.rows["all-entities"]
    assert page.rows["dates"] == [
        ["Text", "Value", "Bound", "Reason"],
        ["2025年4月", "2025-04", "", ""],
        ["明年三月", "", "", "relative date, no doc_date"],
    ]


def test_warnings_list_failures_null_dates_record_warnings_and_overlaps(page: Page) -> None:
    assert page.warnings == [
        "failedbad<1>.txt: not UTF-8 & not Big5",
        "warning政策 <新聞>: structure: no title found",
        "date政策 <新聞>: 「明年三月」 has no value: relative date, no doc_date",
        "overlapb.txt: ORG 「script>與」 [20, 28) crosses another span and is not highlighted",
    ]


def test_text_is_escaped_and_page_loads_nothing(page: Page) -> None:
    source = page.source
    assert len(page.with_tag("script")) == 1  # only the page's own filter script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "A&amp;B" in source
    assert not page.with_tag("link") and not page.with_tag("img") and not page.with_tag("iframe")
    for _, attrs in page.tags:
        for key in ("src", "href", "action"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(key, "")), attrs
    assert not re.search(r"url\(|@import|https?://", source.split("<body>")[0].lower())


def test_missing_outdir_fails(tmp_path: Path) -> None:
    assert write_review(tmp_path / "missing", tmp_path / "r.html") == 1
    assert not (tmp_path / "r.html").exists()


def test_seed_review_marks_every_span(seed_record: dict, tmp_path: Path) -> None:
    outdir = write_outdir(tmp_path / "out", {"seed.json": seed_record})
    assert write_review(outdir, tmp_path / "seed.html") == 0
    page = Page()
    page.read((tmp_path / "seed.html").read_text(encoding="utf-8"))
    assert page.doc_texts == [seed_record["text"]]
    overlaps = [warning for warning in page.warnings if warning.startswith("overlap")]
    dates = seed_record["dates"]
    extents = {(date["start"], date["end"]) for date in dates}
    figures = [
        item
        for item in seed_record["figures"]
        if not (item["label"] == "DATE" and (item["start"], item["end"]) in extents)
    ]
    spans = seed_record["entities"] + figures
    assert len(page.marks) + len(overlaps) == len(spans) + len(dates)
    labels = {item["label"] for item in spans} | {"DATE", "TIME"}
    for mark in page.marks:
        assert mark["attrs"]["data-label"] in labels


def test_review_reads_a_records_jsonl(tmp_path: Path) -> None:
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records().values()),
        encoding="utf-8",
    )
    assert write_review(jsonl, tmp_path / "r.html") == 0
    parsed = Page()
    parsed.read((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert parsed.doc_texts == [TEXT_A, TEXT_B]
