"""Terminal view of records: each text with entities, figures and dates marked, then tables
(figures, dates and facts).

`show` reads one record file, a records.jsonl (every record, or the one `--id` names) or a
run's folder.

Marks are ANSI colours (one per label, with a legend) or, for pipes and `--plain`,
brackets: `[川普|PERSON]`. Marks that cross another mark instead of nesting in it are
left out of the text; they still appear in the tables.
"""

from __future__ import annotations

import json
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .export import date_label
from .outputs import load_records_from
from .progress import terminal_safe
from .record import schema

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
# 256-colour foregrounds with well separated hues, readable on dark and light backgrounds.
PALETTE = (33, 202, 34, 163, 172, 37, 127, 166, 28, 61, 130, 24, 160, 99, 64, 31, 131)
FIGURE_COLUMNS = ("text", "label", "value", "unit", "counted", "approx", "per")
DATE_COLUMNS = ("text", "value", "mod", "reason")
FACT_COLUMNS = ("subject", "predicate", "object", "figure", "time", "change", "modality")
REQUIRED_FIGURE_COLUMNS = 6  # "per" is shown only when some figure has one


class RecordError(ValueError):
    """A file that is not a readable zhextract record; the message is one line."""


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    label: str


def load_record(path: str | Path) -> dict[str, Any]:
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise RecordError(f"cannot read file: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RecordError(f"not JSON: {' '.join(str(error).split())}") from None
    return checked_record(loaded)


def checked_record(loaded: Any) -> dict[str, Any]:
    if not isinstance(loaded, dict) or not isinstance(loaded.get("text"), str):
        raise RecordError("not a zhextract record (no 'text')")
    return loaded


def load_records(path: str | Path, record_id: str | None = None) -> list[dict[str, Any]]:
    """The records in a record file, a records.jsonl or a run's folder; with `record_id`,
    only the record with that id (RecordError when there is none)."""
    path = Path(path)
    if path.is_file() and path.suffix != ".jsonl":
        found = [load_record(path)]
    else:
        outputs = load_records_from(path)
        if outputs is None:
            raise RecordError("cannot read file: No such file or directory")
        if outputs.unreadable and not outputs.records:
            name, error = outputs.unreadable[0]
            raise RecordError(f"{name}: {error}")
        found = [checked_record(loaded.record) for loaded in outputs.records]
    if record_id is not None:
        found = [record for record in found if record.get("id") == record_id]
        if not found:
            raise RecordError(f"no record with id {record_id!r}")
    if not found:
        raise RecordError("no records")
    return found


def render_all(records: list[dict[str, Any]], colour: bool = False) -> str:
    """Each record's view, separated by a rule."""
    rule = "\n" + "─" * 40 + "\n\n"
    return rule.join(render(record, colour) for record in records)


def render(record: dict[str, Any], colour: bool = False) -> str:
    """The whole view: header, marked text, figures, dates and facts tables."""
    parts = [_header(record, colour), marked_text(record, colour)]
    if colour:
        parts.append(_legend(record))
    parts.append(_section("Figures", _figure_rows(record), colour))
    parts.append(_section("Dates", _rows(record.get("dates", []), DATE_COLUMNS), colour))
    parts.append(_section("Facts", _fact_rows(record), colour))
    return "\n\n".join(part for part in parts if part) + "\n"


def marks(record: dict[str, Any]) -> list[Mark]:
    """Entity, figure and date marks that nest, outer marks before the marks inside them."""
    candidates = [
        Mark(item["start"], item["end"], mark_label(key, item))
        for key in ("entities", "figures", "dates")
        for item in record.get(key, [])
        if item["start"] < item["end"]
    ]
    candidates.sort(key=lambda mark: (mark.start, -mark.end))
    kept: list[Mark] = []
    seen: set[Mark] = set()
    open_marks: list[Mark] = []
    for mark in candidates:
        while open_marks and open_marks[-1].end <= mark.start:
            open_marks.pop()
        if open_marks and mark.end > open_marks[-1].end:
            continue  # crosses an enclosing mark's end
        if mark in seen:
            continue  # the same span found by two stages (e.g. a date figure and a date)
        seen.add(mark)
        kept.append(mark)
        open_marks.append(mark)
    return kept


def mark_label(key: str, item: dict[str, Any]) -> str:
    """An entity's or figure's label; DATE or TIME for a date."""
    if key == "dates":
        return date_label(item)
    return str(item.get("label") or ("ENTITY" if key == "entities" else "FIGURE"))


def marked_text(record: dict[str, Any], colour: bool = False) -> str:
    text: str = record["text"]
    pieces: list[str] = []
    stack: list[Mark] = []
    cursor = 0
    for mark in marks(record):
        cursor = _close_until(text, pieces, stack, cursor, mark.start, colour)
        pieces.append(_safe(text[cursor : mark.start]))
        cursor = mark.start
        pieces.append(_colour(mark.label) if colour else "[")
        stack.append(mark)
    cursor = _close_until(text, pieces, stack, cursor, len(text), colour)
    pieces.append(_safe(text[cursor:]))
    return "".join(pieces)


def _close_until(
    text: str, pieces: list[str], stack: list[Mark], cursor: int, position: int, colour: bool
) -> int:
    """Close the open marks that end at or before `position`; return the new cursor."""
    while stack and stack[-1].end <= position:
        mark = stack.pop()
        pieces.append(_safe(text[cursor : mark.end]))
        cursor = mark.end
        if colour:
            pieces.append(RESET + (_colour(stack[-1].label) if stack else ""))
        else:
            pieces.append(f"|{mark.label}]")
    return cursor


def _colour(label: str) -> str:
    known = _schema_labels()
    index = known.index(label) if label in known else zlib.crc32(label.encode())
    return f"\x1b[1;38;5;{PALETTE[index % len(PALETTE)]}m"


@cache
def _schema_labels() -> list[str]:
    """Entity and figure labels in schema order, so each keeps one colour in every record."""
    try:
        definitions = schema()["$defs"]
        labels = [
            *definitions["entity"]["properties"]["label"]["enum"],
            *definitions["figure"]["properties"]["label"]["enum"],
        ]
    except (OSError, KeyError, ValueError):
        return []
    return list(dict.fromkeys(labels))


def _legend(record: dict[str, Any]) -> str:
    labels = sorted({mark.label for mark in marks(record)})
    return "  ".join(f"{_colour(label)}{label}{RESET}" for label in labels)


def _header(record: dict[str, Any], colour: bool) -> str:
    source = record.get("source") or {}
    pipeline = record.get("pipeline") or {}
    lines = [f"{source.get('path') or '(no path)'}  [{source.get('encoding', '?')}]"]
    details = [
        f"pipeline {pipeline.get('name', '?')} {pipeline.get('version', '')}".rstrip(),
        f"doc_date {record.get('doc_date') or '-'}",
        *(f"{len(record.get(key, []))} {key}" for key in ("entities", "figures", "dates")),
    ]
    lines.append(", ".join(details))
    lines.extend(f"{key}: {value}" for key, value in (record.get("meta") or {}).items())
    lines = [terminal_safe(line) for line in lines]
    if colour:
        lines[0] = BOLD + lines[0] + RESET
        lines[1:] = [DIM + line + RESET for line in lines[1:]]
    return "\n".join(lines)


def _figure_rows(record: dict[str, Any]) -> list[list[str]]:
    figures = record.get("figures", [])
    has_per = any(item.get("per") is not None for item in figures)
    columns = FIGURE_COLUMNS if has_per else FIGURE_COLUMNS[:REQUIRED_FIGURE_COLUMNS]
    return _rows(figures, columns)


def _fact_rows(record: dict[str, Any]) -> list[list[str]]:
    """Subject, predicate, object, figure, time, change and modality of each fact."""
    figures = record.get("figures", [])
    rows = []
    for fact in record.get("facts", []):
        index = fact.get("figure")
        figure = figures[index] if isinstance(index, int) and 0 <= index < len(figures) else {}
        predicate = fact.get("predicate") or {}
        change = fact.get("change") or {}
        ends = [_cell((change.get(end) or {}).get("text")) or "…" for end in ("from", "to")]
        rows.append(
            [
                _party(fact.get("subject")),
                f"{predicate.get('text', '')} ({predicate.get('class', '')})",
                _party(fact.get("object")),
                _cell(figure.get("text")),
                _cell((fact.get("time") or {}).get("text")),
                f"{change['direction']} {ends[0]}→{ends[1]}" if change else "",
                _cell(fact.get("modality"))
                + (" negated" if fact.get("polarity") == "negative" else ""),
            ]
        )
    return [list(FACT_COLUMNS), *rows] if rows else []


def _party(party: dict[str, Any] | None) -> str:
    return "" if not party else _cell(party.get("name") or party.get("text"))


def _rows(items: list[dict[str, Any]], columns: tuple[str, ...]) -> list[list[str]]:
    """A header row and one row per item (an empty list when there are no items)."""
    if not items:
        return []
    return [list(columns), *([_cell(item.get(column)) for column in columns] for item in items)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "–".join(_cell(part) for part in value)
    return terminal_safe(" ".join(str(value).split()))


def _safe(text: str) -> str:
    """A piece of record text as the terminal may show it: line breaks kept, every other
    control or format character escaped (a record's text is the input's, which may hold
    escape sequences)."""
    return "\n".join(terminal_safe(line) for line in text.split("\n"))


def _section(title: str, rows: list[list[str]], colour: bool) -> str:
    heading = f"{BOLD}{title}{RESET}" if colour else title
    if not rows:
        return f"{heading}: none"
    return f"{heading}\n{table(rows, colour)}"


def table(rows: list[list[str]], colour: bool = False) -> str:
    """Rows padded to aligned columns by display width (CJK characters take two cells)."""
    widths = [max(display_width(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths)]
        line = "  ".join(cells).rstrip()
        lines.append(f"{BOLD}{line}{RESET}" if colour and number == 0 else line)
    return "\n".join(lines)


def display_width(text: str) -> int:
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in ("W", "F")
        else 1
        for char in text
    )
