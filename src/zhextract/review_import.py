"""`zhextract import-review`: reviewed doccano or Label Studio files back into records.

Reads a doccano JSONL (as `export --to doccano` writes it, or as doccano exports it: `label`,
`labels` or `entities` with UTF-16 offsets) or a Label Studio JSON export (the latest
annotation of each task that was not cancelled, else its predictions; code point offsets).
Each task names its record (`record_id`, written by `export`); the record comes from
`--records` (the run the export was made from) or, without it, from running the pipeline
named in the task on the task's text.

The reviewed spans replace the exported ones: a span the reviewer kept keeps its values (the
figure's value, the date's ISO value), a new span gets empty values (a date: `value` null,
`reason` "added in review"), a deleted span goes. Spans the export left out (they overlapped
a longer one) stay unless a reviewed span overlaps them. Every record is checked against the
schema before it is written as OUTDIR/<id>.json.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .export import date_label, record_spans, utf16_offsets
from .outputs import load_records_from
from .record import dumps, schema, validate

REVIEW_SOURCE = "review"  # the `source` of an entity a reviewer added
ADDED_DATE_REASON = "added in review"
DATE_LABELS = ("DATE", "TIME")


class ReviewFileError(ValueError):
    """A file that is not a doccano JSONL or Label Studio export; one line."""


@dataclass
class ReviewedTask:
    """One reviewed document: its text, its spans (code point offsets) and its record fields."""

    text: str
    spans: list[tuple[int, int, str]]
    meta: dict[str, Any] = field(default_factory=dict)
    name: str = ""  # where it is in the file, for messages


# ---- reading the reviewed file ------------------------------------------------------------


def read_reviewed(path: Path) -> list[ReviewedTask]:
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReviewFileError(f"cannot read {path}: {error}") from None
    try:
        if path.suffix == ".jsonl":
            rows = [json.loads(line) for line in content.splitlines() if line.strip()]
        else:
            loaded = json.loads(content)
            rows = loaded if isinstance(loaded, list) else [loaded]
    except json.JSONDecodeError as error:
        raise ReviewFileError(f"{path}: not JSON: {error}") from None
    return [_task(row, f"{path.name}:{number}") for number, row in enumerate(rows, start=1)]


def _task(row: Any, name: str) -> ReviewedTask:
    if not isinstance(row, dict):
        raise ReviewFileError(f"{name}: expected a JSON object")
    if isinstance(row.get("data"), dict):
        return _label_studio_task(row, name)
    if isinstance(row.get("text"), str):
        return _doccano_task(row, name)
    raise ReviewFileError(f"{name}: neither a doccano line nor a Label Studio task")


def _doccano_task(row: dict[str, Any], name: str) -> ReviewedTask:
    text = row["text"]
    to_code_points = {unit: index for index, unit in enumerate(utf16_offsets(text))}
    spans = []
    for start, end, label in _doccano_labels(row):
        if start not in to_code_points or end not in to_code_points:
            raise ReviewFileError(f"{name}: [{start}, {end}) splits a character")
        spans.append((to_code_points[start], to_code_points[end], label))
    meta: dict[str, Any] = row["meta"] if isinstance(row.get("meta"), dict) else row
    return ReviewedTask(text, spans, dict(meta), name)


def _doccano_labels(row: dict[str, Any]) -> Iterator[tuple[int, int, str]]:
    """[start, end, label] lists (`label`/`labels`) or `entities` objects, UTF-16 units."""
    for item in row.get("label") or row.get("labels") or []:
        yield int(item[0]), int(item[1]), str(item[2])
    for item in row.get("entities") or []:
        yield int(item["start_offset"]), int(item["end_offset"]), str(item["label"])


def _label_studio_task(task: dict[str, Any], name: str) -> ReviewedTask:
    data = task["data"]
    text = data.get("text")
    if not isinstance(text, str):
        raise ReviewFileError(f"{name}: the task's data has no text")
    spans: list[tuple[int, int, str]] = []
    for result in _label_studio_results(task):
        value = result.get("value") or {}
        if result.get("type") != "labels" or not value.get("labels"):
            continue
        start, end = int(value["start"]), int(value["end"])
        if "text" in value and text[start:end] != value["text"]:
            raise ReviewFileError(
                f"{name}: text[{start}:{end}] is not {value['text']!r} (offsets not in code points?)"
            )
        spans.extend((start, end, str(label)) for label in value["labels"])
    return ReviewedTask(text, spans, dict(data), name)


def _label_studio_results(task: dict[str, Any]) -> list[dict[str, Any]]:
    """The latest annotation not cancelled; without one, the first prediction."""
    annotations = [item for item in task.get("annotations") or [] if not item.get("was_cancelled")]
    if annotations:
        return list(annotations[-1].get("result") or [])
    predictions = task.get("predictions") or []
    return list(predictions[0].get("result") or []) if predictions else []


# ---- applying the review to a record ------------------------------------------------------


def entity_labels() -> set[str]:
    return set(schema()["$defs"]["entity"]["properties"]["label"]["enum"])


def apply_review(record: dict[str, Any], spans: list[tuple[int, int, str]]) -> dict[str, Any]:
    """A copy of `record` whose entities, figures and dates are the reviewed `spans`."""
    text = record["text"]
    exported = {(span.start, span.end, span.label) for span in record_spans(record)}
    reviewed = set(spans)
    changed = reviewed - exported
    taken = bytearray(len(text))
    for start, end, _ in changed:
        taken[start:end] = b"\x01" * (end - start)

    def kept(item: dict[str, Any], label: str) -> bool:
        key = (item["start"], item["end"], label)
        if key in exported:
            return key in reviewed
        return not any(taken[item["start"] : item["end"]])  # never shown to the reviewer

    updated = dict(record)
    updated["entities"] = [item for item in record["entities"] if kept(item, item["label"])]
    updated["figures"] = [item for item in record["figures"] if kept(item, item["label"])]
    updated["dates"] = [item for item in record["dates"] if kept(item, date_label(item))]
    entity_names = entity_labels()
    for start, end, label in sorted(changed):
        surface = text[start:end]
        if label in entity_names:
            updated["entities"].append(
                _new_span(surface, start, end, label=label, source=REVIEW_SOURCE)
            )
        elif label in DATE_LABELS:
            updated["dates"].append(
                _new_span(surface, start, end, value=None, reason=ADDED_DATE_REASON)
            )
        else:
            updated["figures"].append(_new_figure(surface, start, end, label))
    for name in ("entities", "figures", "dates"):
        updated[name].sort(key=lambda item: (item["start"], item["end"]))
    return updated


def _new_span(surface: str, start: int, end: int, **fields: Any) -> dict[str, Any]:
    # Source offsets are not known for a span added in review; the logical ones stand in.
    return {
        "text": surface,
        "start": start,
        "end": end,
        **fields,
        "source_start": start,
        "source_end": end,
    }


def _new_figure(surface: str, start: int, end: int, label: str) -> dict[str, Any]:
    return _new_span(
        surface,
        start,
        end,
        label=label,
        value=None,
        low=None,
        high=None,
        unit=None,
        counted=None,
        approx=None,
    )


# ---- finding each task's record -----------------------------------------------------------


def base_record(task: ReviewedTask, originals: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    """The record a task was exported from: from `originals` by id, or rebuilt by the
    pipeline named in the task."""
    record_id = task.meta.get("record_id")
    if originals is not None:
        if record_id not in originals:
            raise ReviewFileError(f"{task.name}: no record with id {record_id!r} in --records")
        return originals[str(record_id)]
    from . import load
    from .doc import Source

    sha256 = task.meta.get("sha256")
    source = Source(path=task.meta.get("path"), sha256=str(sha256)) if sha256 else None
    name = str((task.meta.get("pipeline") or {}).get("name") or "default")
    rebuilt: dict[str, Any] = dict(
        load(name)(task.text, doc_date=task.meta.get("doc_date"), source=source)
    )
    if source is None:  # a task from elsewhere: the record id is the text's hash
        rebuilt["source"]["path"] = task.meta.get("path")
    return rebuilt


def import_review(review_file: Path, outdir: Path, records_from: Path | None = None) -> int:
    """Write one corrected, schema-valid record per task to `outdir`; exit code 0 when every
    task became a record, 1 otherwise."""
    try:
        tasks = read_reviewed(review_file)
    except ReviewFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    originals = None
    if records_from is not None:
        loaded = load_records_from(records_from)
        if loaded is None:
            print(f"error: {records_from}: no such file or directory", file=sys.stderr)
            return 1
        originals = {str(item.record.get("id")): item.record for item in loaded.records}
    outdir.mkdir(parents=True, exist_ok=True)
    written = failed = 0
    for task in tasks:
        try:
            record = base_record(task, originals)
            if record["text"] != task.text:
                raise ReviewFileError(f"{task.name}: the text differs from the record's")
            updated = apply_review(record, task.spans)
            problems = validate(updated)
            if problems:
                raise ReviewFileError(f"{task.name}: {problems[0]}")
        except (ReviewFileError, ValueError, KeyError, TypeError) as error:
            print(f"error: {error}", file=sys.stderr)
            failed += 1
            continue
        (outdir / f"{updated['id']}.json").write_text(dumps(updated), encoding="utf-8")
        written += 1
    print(
        f"wrote {written} record{'' if written == 1 else 's'} to {outdir}"
        + (f"; {failed} failed" if failed else ""),
        file=sys.stderr,
    )
    return 1 if failed else 0
