"""`zhextract review`: one self-contained HTML page to read a run's records.

The page lists the documents, shows each text with its entities, figures and dates highlighted
per label (figure values and units, and dates' ISO values, beside the highlight and in its
tooltip; a date without a value is marked unresolved), label filters, tables of entities,
figures, dates and facts, and the warnings worth a look (dates without a value, failed documents,
record warnings). It loads nothing from the network.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from .export import date_label
from .outputs import LoadedRecord, Outputs, failed_documents, load_records_from, record_title

ASSETS = "review_assets"
APPROX_SIGNS = {"near": "~", "about": "~", "over": ">", "under": "<"}
MARKED_LISTS = ("entities", "figures", "dates")
MARK_KINDS = {"entities": "ent", "figures": "fig", "dates": "date"}
SINGULAR = {"entities": "entity", "figures": "figure", "dates": "date"}
UNRESOLVED = "?"  # the value shown on the chip of a date without one
# PERCENT values are fractions (0.117); these units are shown as a percentage (11.7%).
PERCENT_UNITS = {"%": "%", "成": "%", "折": "%", "‰": "%", "percentage_point": " pp"}
# Run summary fields shown in the page header (the counts are the page's own).
RUN_FIELDS = ("pipeline", "doc_date", "format", "skipped", "chars", "seconds", "chars_per_second")
FACT_HEADERS = ["Subject", "Predicate", "Object", "Figure", "Time", "Change", "Modality"]


def _asset(name: str) -> str:
    return resources.files("zhextract").joinpath(f"{ASSETS}/{name}").read_text("utf-8")


def label_colours() -> dict[str, str]:
    """Label -> CSS colour, from review_assets/labels.json (keys starting "_" are comments)."""
    loaded: dict[str, str] = json.loads(_asset("labels.json"))
    return {label: colour for label, colour in loaded.items() if not label.startswith("_")}


def h(value: object) -> str:
    """Text escaped for HTML content and quoted attribute values."""
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # "ent", "fig" or "date"
    item: dict[str, Any]

    @property
    def label(self) -> str:
        return item_label(self.kind, self.item)


def item_label(kind: str, item: dict[str, Any]) -> str:
    """The label of an entity or figure; DATE or TIME for a date."""
    return date_label(item) if kind in ("date", "dates") else str(item.get("label", ""))


# ---- values ---------------------------------------------------------------------------


def format_number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def format_percent(value: Any) -> str:
    """A fraction as a percentage, exactly: 0.117 -> "11.7"."""
    return format((Decimal(str(value)) * 100).normalize(), "f")


def format_value(figure: dict[str, Any]) -> str:
    """A figure's value as a reader wants it: "~1,000,000,000,000 TWD", "3–5%", "11.7%", ""."""
    value = figure.get("value")
    if value is None:
        return ""
    unit = figure.get("unit")
    percent = PERCENT_UNITS.get(str(unit)) if figure.get("label") == "PERCENT" else None
    show = format_percent if percent else format_number
    parts = value if isinstance(value, list) else [value]
    shown = "–".join(show(part) for part in parts)
    sign = APPROX_SIGNS.get(str(figure.get("approx")), "")
    per = figure.get("per")
    unit_text = percent if percent else f" {unit}" if unit else ""
    return sign + shown + unit_text + (f"/{per}" if per else "")


def figure_tooltip(figure: dict[str, Any]) -> str:
    parts = [str(figure.get("label", ""))]
    for key in ("value", "unit", "counted", "approx", "per"):
        if figure.get(key) is not None:
            shown = format_value({"value": figure[key]}) if key == "value" else figure[key]
            parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def date_tooltip(date: dict[str, Any]) -> str:
    if date.get("value") is None:
        return f"{date_label(date)}; unresolved: {date.get('reason') or 'no reason given'}"
    parts = [date_label(date), f"value: {date['value']}"]
    if date.get("mod"):
        parts.append(f"bound: {date['mod']}")
    return "; ".join(parts)


# ---- highlighted text -----------------------------------------------------------------


def record_marks(record: dict[str, Any]) -> list[Mark]:
    """Entities, figures and dates with usable offsets, outer spans before the spans they
    contain. A DATE figure with a date's extent is left out: the date's mark has its ISO value."""
    text = record.get("text", "")
    marks = []
    date_extents = {(item.get("start"), item.get("end")) for item in record.get("dates") or []}
    for name in MARKED_LISTS:
        kind = MARK_KINDS[name]
        for item in record.get(name) or []:
            start, end = item.get("start"), item.get("end")
            if not (
                isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            ):
                continue
            if kind == "fig" and item.get("label") == "DATE" and (start, end) in date_extents:
                continue
            marks.append(Mark(start, end, kind, item))
    return sorted(marks, key=lambda mark: (mark.start, -mark.end))


def open_tag(mark: Mark) -> str:
    label = h(mark.label)
    if mark.kind == "fig":
        value = format_value(mark.item)
        value_attr = f' data-value="{h(value)}"' if value else ""
        return (
            f'<mark class="span fig" data-label="{label}"{value_attr} '
            f'title="{h(figure_tooltip(mark.item))}">'
        )
    if mark.kind == "date":
        iso = mark.item.get("value")
        unresolved = " unresolved" if iso is None else ""
        return (
            f'<mark class="span date{unresolved}" data-label="{label}" '
            f'data-value="{h(UNRESOLVED if iso is None else iso)}" '
            f'title="{h(date_tooltip(mark.item))}">'
        )
    source = mark.item.get("source")
    tooltip = f"{mark.label} · {source}" if source else mark.label
    return f'<mark class="span ent" data-label="{label}" title="{h(tooltip)}">'


def highlight(text: str, marks: list[Mark]) -> tuple[str, list[Mark]]:
    """HTML of `text` with nested marks, and the marks left out because they cross another."""
    parts: list[str] = []
    open_marks: list[Mark] = []
    crossing: list[Mark] = []
    position = 0

    def close_until(limit: int) -> None:
        nonlocal position
        while open_marks and open_marks[-1].end <= limit:
            closing = open_marks.pop()
            parts.append(h(text[position : closing.end]) + "</mark>")
            position = closing.end

    for mark in marks:
        close_until(mark.start)
        if open_marks and mark.end > open_marks[-1].end:
            crossing.append(mark)
            continue
        parts.append(h(text[position : mark.start]) + open_tag(mark))
        position = mark.start
        open_marks.append(mark)
    close_until(len(text))
    parts.append(h(text[position:]))
    return "".join(parts), crossing


# ---- warnings -------------------------------------------------------------------------


def record_warnings(record: dict[str, Any], crossing: list[Mark]) -> list[tuple[str, str]]:
    """(kind, message) of what a reviewer should check in one record."""
    found = [("warning", str(message)) for message in record.get("warnings") or []]
    for date in record.get("dates") or []:
        if date.get("value") is None:
            reason = date.get("reason") or "no reason given"
            found.append(("date", f"「{date.get('text', '')}」 has no value: {reason}"))
    for mark in crossing:
        found.append(
            (
                "overlap",
                f"{mark.label} 「{mark.item.get('text', '')}」 [{mark.start}, {mark.end}) "
                "crosses another span and is not highlighted",
            )
        )
    return found


# ---- page sections --------------------------------------------------------------------


@dataclass
class RenderedDoc:
    anchor: str
    loaded: LoadedRecord
    text_html: str
    warnings: list[tuple[str, str]]


def render_doc(index: int, loaded: LoadedRecord) -> RenderedDoc:
    record = loaded.record
    text_html, crossing = highlight(record.get("text", ""), record_marks(record))
    return RenderedDoc(f"doc-{index}", loaded, text_html, record_warnings(record, crossing))


def table(
    caption: str, css_class: str, headers: list[str], rows: list[str], is_open: bool = True
) -> str:
    if not rows:
        return f'<p class="none {css_class}">No {h(caption.lower())}.</p>'
    head = "".join(f"<th>{h(header)}</th>" for header in headers)
    return (
        f"<details{' open' if is_open else ''}><summary>{h(caption)} ({len(rows)})</summary>"
        f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def entity_rows(record: dict[str, Any]) -> list[str]:
    counts = Counter(
        (str(item.get("text", "")), str(item.get("label", "")))
        for item in record.get("entities") or []
    )
    return [
        f'<tr data-label="{h(label)}"><td>{h(surface)}</td><td>{h(label)}</td>'
        f'<td class="num">{count}</td></tr>'
        for (surface, label), count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    ]


def figure_rows(record: dict[str, Any]) -> list[str]:
    rows = []
    for item in record.get("figures") or []:
        cells = [
            item.get("text", ""),
            item.get("label", ""),
            value_cell(item),
            item.get("unit") or "",
            item.get("counted") or "",
            item.get("approx") or "",
        ]
        rows.append(
            f'<tr data-label="{h(item.get("label", ""))}">'
            + "".join(f"<td>{h(cell)}</td>" for cell in cells)
            + "</tr>"
        )
    return rows


def value_cell(figure: dict[str, Any]) -> str:
    """The figures table's value: the number alone (the unit has its column), a percentage
    with its sign."""
    shown = {"value": figure.get("value")}
    if figure.get("label") == "PERCENT" and str(figure.get("unit")) in PERCENT_UNITS:
        shown.update(label="PERCENT", unit=figure.get("unit"))
    return format_value(shown)


def fact_rows(record: dict[str, Any]) -> list[str]:
    """One row per fact: subject -> predicate -> object, figure, time, change, modality."""
    figures = record.get("figures") or []
    rows = []
    for fact in record.get("facts") or []:
        index = fact.get("figure")
        figure = figures[index] if isinstance(index, int) and 0 <= index < len(figures) else {}
        predicate = fact.get("predicate") or {}
        change = fact.get("change") or {}
        ends = [(change.get(end) or {}).get("text") or "…" for end in ("from", "to")]
        how = [fact.get("modality", "")] + (
            ["negated"] if fact.get("polarity") == "negative" else []
        )
        speaker = _fact_party((fact.get("reported") or {}).get("speaker"))
        cells = [
            _fact_party(fact.get("subject")),
            f"{predicate.get('text', '')} ({predicate.get('class', '')})",
            _fact_party(fact.get("object")),
            figure.get("text", ""),
            (fact.get("time") or {}).get("text") or "",
            f"{change['direction']} {ends[0]} → {ends[1]}" if change else "",
            " ".join(how) + (f", per {speaker}" if speaker else ""),
        ]
        rows.append(
            f'<tr data-label="{h(figure.get("label", ""))}">'
            + "".join(f"<td>{h(cell)}</td>" for cell in cells)
            + "</tr>"
        )
    return rows


def _fact_party(party: dict[str, Any] | None) -> str:
    return "" if not party else str(party.get("name") or party.get("text") or "")


def date_rows(record: dict[str, Any]) -> list[str]:
    return [
        f'<tr data-label="{h(date_label(item))}"><td>{h(item.get("text", ""))}</td>'
        f"<td>{h(item.get('value') or '')}</td>"
        f"<td>{h(item.get('mod') or '')}</td><td>{h(item.get('reason') or '')}</td></tr>"
        for item in record.get("dates") or []
    ]


def doc_section(doc: RenderedDoc) -> str:
    record = doc.loaded.record
    pipeline = record.get("pipeline") or {}
    meta = [
        f"file {doc.loaded.path}",
        f"source {(record.get('source') or {}).get('path') or '(text)'}",
        f"id {record.get('id', '?')}",
        f"date {record.get('doc_date') or 'unknown'}",
        f"pipeline {pipeline.get('name', '?')} {pipeline.get('version', '')}".rstrip(),
    ]
    return (
        f'<article class="doc" id="{doc.anchor}">'
        f"<h2>{h(record_title(record))}</h2>"
        f'<p class="doc-meta">{h(" · ".join(meta))}</p>'
        f'<div class="doc-text">{doc.text_html}</div>'
        + table("Entities", "entities", ["Surface", "Label", "Count"], entity_rows(record))
        + table(
            "Figures",
            "figures",
            ["Text", "Label", "Value", "Unit", "Counted", "Approx"],
            figure_rows(record),
        )
        + table("Dates", "dates", ["Text", "Value", "Bound", "Reason"], date_rows(record))
        + table("Facts", "facts", FACT_HEADERS, fact_rows(record))
        + "</article>"
    )


def legend(docs: list[RenderedDoc]) -> str:
    counts: Counter[str] = Counter()
    for doc in docs:
        for name in MARKED_LISTS:
            counts.update(item_label(name, item) for item in doc.loaded.record.get(name) or [])
    ordered = [label for label in label_colours() if label in counts]
    ordered += sorted(label for label in counts if label not in ordered)
    items = "".join(
        f'<label class="legend-item"><input type="checkbox" checked data-filter="{h(label)}"> '
        f'<span class="swatch" data-label="{h(label)}">{h(label)}</span> '
        f'<span class="counts">{counts[label]}</span></label>'
        for label in ordered
    )
    return f'<section id="legend" class="legend"><h2>Labels</h2>{items or "<span class=none>No labelled spans.</span>"}</section>'


def document_list(docs: list[RenderedDoc]) -> str:
    items = []
    for doc in docs:
        record = doc.loaded.record
        counts = (
            f"{len(record.get('entities') or [])} entities, "
            f"{len(record.get('figures') or [])} figures, "
            f"{len(record.get('dates') or [])} dates, {len(doc.warnings)} warnings"
        )
        items.append(
            f'<li><a href="#{doc.anchor}">{h(record_title(record))}</a> '
            f'<span class="doc-path">{h(doc.loaded.path)}</span> '
            f'<span class="counts">({h(counts)})</span></li>'
        )
    body = f"<ol>{''.join(items)}</ol>" if items else '<p class="none">No documents.</p>'
    return f'<nav id="documents"><h2>Documents ({len(docs)})</h2>{body}</nav>'


def warnings_section(docs: list[RenderedDoc], outputs: Outputs) -> str:
    items = [
        f'<li class="warning failed"><span class="warning-kind">failed</span>{h(path)}: {h(reason)}</li>'
        for path, reason in failed_documents(outputs.run)
    ]
    items += [
        f'<li class="warning unreadable"><span class="warning-kind">unreadable</span>{h(path)}: {h(error)}</li>'
        for path, error in outputs.unreadable
    ]
    for doc in docs:
        title = h(record_title(doc.loaded.record))
        items += [
            f'<li class="warning {h(kind)}"><span class="warning-kind">{h(kind)}</span>'
            f'<a href="#{doc.anchor}">{title}</a>: {h(message)}</li>'
            for kind, message in doc.warnings
        ]
    body = f"<ul>{''.join(items)}</ul>" if items else '<p class="none">No warnings.</p>'
    return (
        f'<section id="warnings" class="warnings"><h2>Warnings ({len(items)})</h2>{body}</section>'
    )


def all_entities_section(docs: list[RenderedDoc]) -> str:
    counts: Counter[tuple[str, str]] = Counter()
    documents: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        found = [
            (str(item.get("text", "")), str(item.get("label", "")))
            for item in doc.loaded.record.get("entities") or []
        ]
        counts.update(found)
        documents.update(set(found))
    rows = [
        f'<tr data-label="{h(label)}"><td>{h(surface)}</td><td>{h(label)}</td>'
        f'<td class="num">{count}</td><td class="num">{documents[(surface, label)]}</td></tr>'
        for (surface, label), count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    ]
    return (
        '<section id="all-entities"><h2>Entities in all documents</h2>'
        # Closed: it can be long, and each document shows its own table.
        + table("Entities", "all-entities", ["Surface", "Label", "Count", "Documents"], rows, False)
        + "</section>"
    )


def run_summary(docs: list[RenderedDoc], outputs: Outputs) -> str:
    """The header's one line: each count once (the page's own), then the run's settings."""
    totals = {
        name: sum(len(doc.loaded.record.get(name) or []) for doc in docs) for name in MARKED_LISTS
    }
    parts = [plural(len(docs), "document")]
    parts.append(f"{len(failed_documents(outputs.run))} failed" if outputs.run else "no run.json")
    parts += [plural(totals[name], SINGULAR[name], name) for name in MARKED_LISTS]
    run = outputs.run or {}
    parts += [
        f"{key.replace('_', ' ')}: {run[key]}"
        for key in RUN_FIELDS
        if isinstance(run.get(key), (str, int, float)) and not isinstance(run.get(key), bool)
    ]
    return f'<p class="summary">{h(" · ".join(parts))}</p>'


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def label_css() -> str:
    return "\n".join(
        f'mark.span[data-label="{label}"], .swatch[data-label="{label}"] {{ background: {colour}; }}'
        for label, colour in label_colours().items()
    )


def render_review(outputs: Outputs) -> str:
    """The whole page as a string."""
    docs = [render_doc(index, loaded) for index, loaded in enumerate(outputs.records, start=1)]
    body = "\n".join(
        [
            "<header><h1>zhextract review</h1>" + run_summary(docs, outputs) + "</header>",
            legend(docs),
            document_list(docs),
            warnings_section(docs, outputs),
            all_entities_section(docs),
            *(doc_section(doc) for doc in docs),
        ]
    )
    return Template(_asset("page.html")).substitute(
        title=h(f"zhextract review: {plural(len(docs), 'document')}"),
        css=_asset("review.css"),
        label_css=label_css(),
        js=_asset("review.js"),
        body=body,
    )


def write_review(source: Path, html_path: Path) -> int:
    """Write the review page for the records in `source` (a run's folder, a records.jsonl or
    one record file) to `html_path`; exit code 0 on success."""
    outputs = load_records_from(source)
    if outputs is None:
        print(f"{source}: no such file or directory", file=sys.stderr)
        return 1
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(render_review(outputs), encoding="utf-8")
    print(
        f"wrote review of {plural(len(outputs.records), 'document')} to {html_path}",
        file=sys.stderr,
    )
    return 0
