"""The review page in headless Chromium: what a reader sees (opt-in, slow).

Run with ZHEXTRACT_BROWSER_TESTS=1 on a machine with /usr/bin/chromium. A probe script added
to a copy of the page writes computed styles into the DOM, which --dump-dom then returns.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
from pathlib import Path

import pytest
from output_records import entity, figure, make_record, span, write_outdir

from zhextract.review import label_colours, write_review

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    os.environ.get("ZHEXTRACT_BROWSER_TESTS") != "1" or not CHROMIUM.exists(),
    reason="browser tests need ZHEXTRACT_BROWSER_TESTS=1 and /usr/bin/chromium",
)

TEXT = "臺北市政府宣布投資5,000億元。\n高雄市政府與臺北市政府合作。"

PROBE = """
window.addEventListener("load", function () {
  %(before)s
  var marks = [], rows = [];
  document.querySelectorAll("mark.span").forEach(function (mark) {
    var style = getComputedStyle(mark), after = getComputedStyle(mark, "::after");
    marks.push({label: mark.dataset.label, text: mark.textContent,
                background: style.backgroundColor, after: after.content,
                afterWrap: after.whiteSpace, afterDisplay: after.display,
                outline: style.outlineStyle, width: mark.getBoundingClientRect().width});
  });
  document.querySelectorAll("table.entities tr[data-label]").forEach(function (row) {
    rows.push({label: row.dataset.label, display: getComputedStyle(row).display});
  });
  var probe = document.createElement("pre");
  probe.id = "probe";
  var headers = [];
  document.querySelectorAll("table.figures th").forEach(function (cell) {
    headers.push({text: cell.textContent, display: getComputedStyle(cell).display});
  });
  var cells = [];
  document.querySelectorAll("table.figures tbody td").forEach(function (cell) {
    cells.push(cell.textContent);
  });
  var summary = document.querySelector("header .summary");
  probe.textContent = JSON.stringify({
    title: document.title, marks: marks, rows: rows, headers: headers, cells: cells,
    summary: summary ? summary.innerText : "",
    text: document.querySelector(".doc-text").innerText});
  document.body.appendChild(probe);
});
"""

UNTICK_ORG = """
  var box = document.querySelector('input[data-filter="ORG"]');
  box.checked = false;
  box.dispatchEvent(new Event("change"));
"""


def chromium(profile: Path, *args: str) -> str:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser")
    record = make_record(
        TEXT,
        entities=[
            entity(TEXT, "臺北市政府", "ORG"),
            entity(TEXT, "高雄市政府", "ORG"),
            entity(TEXT, "臺北市政府", "ORG", nth=1),
            entity(TEXT, "高雄市", "GPE"),
        ],
        figures=[figure(TEXT, "5,000億元", "MONEY", 500000000000, "TWD")],
        title="合作",
    )
    outdir = write_outdir(base / "out", {"a.json": record})
    html_path = base / "review.html"
    assert write_review(outdir, html_path) == 0
    return html_path


def probe(page: Path, tmp_path: Path, before: str = "") -> dict:
    probed = tmp_path / "probed.html"
    script = "<script>" + PROBE % {"before": before} + "</script></body>"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", script), "utf-8")
    dom = chromium(tmp_path / "profile", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[:2000]
    return json.loads(
        found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_reader_sees_each_span_in_its_label_colour_with_its_label(
    page: Path, tmp_path: Path
) -> None:
    seen = probe(page, tmp_path)
    colours = label_colours()
    assert seen["title"] == "zhextract review: 1 document"
    assert seen["text"] == TEXT
    assert [(mark["label"], mark["text"]) for mark in seen["marks"]] == [
        ("ORG", "臺北市政府"),
        ("MONEY", "5,000億元"),
        ("ORG", "高雄市政府"),
        ("GPE", "高雄市"),
        ("ORG", "臺北市政府"),
    ]
    for mark in seen["marks"]:
        assert mark["background"] == rgb(colours[mark["label"]])
        assert mark["width"] > 0
    assert [mark["after"] for mark in seen["marks"]] == [
        '"ORG"',
        '"MONEY 500,000,000,000 TWD"',
        '"ORG"',
        '"GPE"',
        '"ORG"',
    ]


def test_unticking_a_label_removes_its_highlights_and_rows(page: Path, tmp_path: Path) -> None:
    seen = probe(page, tmp_path, before=UNTICK_ORG)
    for mark in seen["marks"]:
        if mark["label"] == "ORG":
            assert (mark["background"], mark["after"]) == ("rgba(0, 0, 0, 0)", "none")
        else:
            assert mark["background"] == rgb(label_colours()[mark["label"]])
    assert seen["rows"] == [
        {"label": "ORG", "display": "none"},  # 臺北市政府 (2)
        {"label": "GPE", "display": "table-row"},  # 高雄市 (1)
        {"label": "ORG", "display": "none"},  # 高雄市政府 (1)
    ]
    assert seen["text"] == TEXT


def test_screenshot_is_written(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "review.png"
    chromium(tmp_path / "profile", "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (1000, 1400)
    keep = os.environ.get("ZHEXTRACT_BROWSER_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "review.png").write_bytes(data)


DATED = "2025年4月出口成長11.7%，約增加2個百分點，明年再議。"


@pytest.fixture(scope="module")
def dated_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser-dates")
    record = make_record(
        DATED,
        figures=[
            figure(DATED, "11.7%", "PERCENT", 0.117, "%"),
            figure(DATED, "約增加2個百分點", "PERCENT", 0.02, "percentage_point", approx="about"),
        ],
        dates=[
            span(DATED, "2025年4月", value="2025-04"),
            span(DATED, "明年", value=None, reason="relative date with no reference date"),
        ],
        title="出口",
    )
    outdir = write_outdir(base / "out", {"a.json": record})
    html_path = base / "review.html"
    assert write_review(outdir, html_path) == 0
    return html_path


def test_reader_sees_dates_percents_and_whole_chips(dated_page: Path, tmp_path: Path) -> None:
    # Chips are inline blocks that never wrap, so a label and its value stay on one line.
    seen = probe(dated_page, tmp_path)
    assert [(mark["label"], mark["text"], mark["after"]) for mark in seen["marks"]] == [
        ("DATE", "2025年4月", '"DATE 2025-04"'),
        ("PERCENT", "11.7%", '"PERCENT 11.7%"'),
        ("PERCENT", "約增加2個百分點", '"PERCENT ~2 pp"'),
        ("DATE", "明年", '"DATE ?"'),
    ]
    assert [mark["outline"] for mark in seen["marks"]] == ["none", "none", "none", "dashed"]
    assert {(mark["afterWrap"], mark["afterDisplay"]) for mark in seen["marks"]} == {
        ("nowrap", "inline-block")
    }
    assert seen["marks"][0]["background"] == rgb(label_colours()["DATE"])
    assert [header["text"] for header in seen["headers"]] == [
        "Text",
        "Label",
        "Value",
        "Unit",
        "Counted",
        "Approx",
    ]
    assert seen["cells"][-6:] == [
        "約增加2個百分點",
        "PERCENT",
        "2 pp",
        "percentage_point",
        "",
        "about",
    ]
    assert seen["summary"].split(" · ")[:5] == [
        "1 document",
        "0 failed",
        "0 entities",
        "2 figures",
        "2 dates",
    ]
