"""Read what `zhextract run` wrote: one record per document under OUTDIR (`*.json`, or
lines of `*.jsonl` with `--format jsonl`) plus OUTDIR/run.json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RUN_SUMMARY = "run.json"
STALE_REASON = "not in run.json (left by an earlier run), so left out"


@dataclass
class LoadedRecord:
    """One record file: its path relative to OUTDIR and its parsed content."""

    path: str
    record: dict[str, Any]


@dataclass
class Outputs:
    """Every readable record of a run, the files that could not be read, and the run summary."""

    records: list[LoadedRecord] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    run: dict[str, Any] | None = None


def record_paths(outdir: Path) -> list[Path]:
    """Record files under `outdir` in a stable order; the run summary is not a record,
    and when run.json lists the run's records, files it does not list (left by an
    earlier run into the same folder) are not either."""
    listed = _listed_records(outdir)
    return [path for path in _found_records(outdir) if listed is None or path in listed]


def stale_record_paths(outdir: Path) -> list[str]:
    """Record files run.json does not list, relative to `outdir`: an earlier run's."""
    listed = _listed_records(outdir)
    if listed is None:
        return []
    found = _found_records(outdir)
    return [path.relative_to(outdir).as_posix() for path in found if path not in listed]


def _found_records(outdir: Path) -> list[Path]:
    summary = outdir / RUN_SUMMARY
    found = [*outdir.rglob("*.json"), *outdir.rglob("*.jsonl")]
    return sorted(path for path in found if path != summary and path.is_file())


def _listed_records(outdir: Path) -> set[Path] | None:
    """The record files run.json names; None without a readable list."""
    try:
        entries = read_json(outdir / RUN_SUMMARY)["records"]
        return {outdir / str(entry["record"]) for entry in entries}
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError):
        return None


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def iter_record_files(outdir: Path) -> Iterator[tuple[str, dict[str, Any] | None, str]]:
    """(relative path, record or None, error message) for each record; a record on line N
    of a .jsonl file is named `FILE:N`."""
    for path in record_paths(outdir):
        relative = path.relative_to(outdir).as_posix()
        if path.suffix == ".jsonl":
            yield from _jsonl_records(path, relative)
            continue
        yield _read_record_file(path, relative)


def _read_record_file(path: Path, relative: str) -> tuple[str, dict[str, Any] | None, str]:
    try:
        loaded = read_json(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return relative, None, f"cannot read JSON: {error}"
    return _checked_object(relative, loaded)


def _jsonl_records(path: Path, relative: str) -> Iterator[tuple[str, dict[str, Any] | None, str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        yield relative, None, f"cannot read JSON lines: {error}"
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            loaded = json.loads(line)
        except json.JSONDecodeError as error:
            yield f"{relative}:{number}", None, f"cannot read JSON: {error}"
            continue
        yield _checked_object(f"{relative}:{number}", loaded)


def _checked_object(name: str, loaded: Any) -> tuple[str, dict[str, Any] | None, str]:
    if not isinstance(loaded, dict):
        return name, None, f"expected a JSON object, got {type(loaded).__name__}"
    return name, loaded, ""


def load_outputs(outdir: Path) -> Outputs:
    """All records under `outdir` (unreadable files listed, not raised) and run.json if present."""
    outputs = Outputs()
    for relative, record, error in iter_record_files(outdir):
        if record is None:
            outputs.unreadable.append((relative, error))
        else:
            outputs.records.append(LoadedRecord(relative, record))
    outputs.unreadable.extend((path, STALE_REASON) for path in stale_record_paths(outdir))
    summary = outdir / RUN_SUMMARY
    if summary.is_file():
        outputs.run = read_summary(summary, outputs)
    return outputs


def read_summary(summary: Path, outputs: Outputs) -> dict[str, Any] | None:
    """The run summary at `summary`; a problem reading it is listed in `outputs.unreadable`."""
    try:
        loaded = read_json(summary)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        outputs.unreadable.append((RUN_SUMMARY, f"cannot read JSON: {error}"))
        return None
    if not isinstance(loaded, dict):
        outputs.unreadable.append((RUN_SUMMARY, "expected a JSON object"))
        return None
    return loaded


def load_records_from(path: Path) -> Outputs | None:
    """The records in `path`: a run's folder (with its run.json), a records.jsonl (with the
    run.json beside it) or one record file; None when `path` does not exist."""
    if path.is_dir():
        return load_outputs(path)
    if not path.is_file():
        return None
    outputs = Outputs()
    if path.suffix == ".jsonl":
        found = _jsonl_records(path, path.name)
        summary = path.parent / RUN_SUMMARY
        if summary.is_file():
            outputs.run = read_summary(summary, outputs)
    else:
        found = iter([_read_record_file(path, path.name)])
    for relative, record, error in found:
        if record is None:
            outputs.unreadable.append((relative, error))
        else:
            outputs.records.append(LoadedRecord(relative, record))
    return outputs


def failed_documents(run: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(path, reason) of each document the run could not process."""
    if not run:
        return []
    failed = run.get("failed") or []
    return [
        (str(item.get("path", "?")), str(item.get("reason", "")))
        for item in failed
        if isinstance(item, dict)
    ]


def record_title(record: dict[str, Any]) -> str:
    """A human name for a record: its title, else its source path, else its id."""
    meta = record.get("meta") or {}
    source = record.get("source") or {}
    return str(meta.get("title") or source.get("path") or record.get("id") or "(untitled)")
