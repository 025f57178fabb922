"""`zhextract validate OUTDIR`: check every record against the schema and offset invariants."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from .outputs import STALE_REASON, iter_record_files, stale_record_paths
from .record import validate


def output_problems(outdir: Path) -> tuple[int, list[str]]:
    """(number of record files, one "path: problem" line per problem found)."""
    if not outdir.is_dir():
        return 0, [f"{outdir}: not a directory"]
    count = 0
    problems: list[str] = []
    for relative, record, error in iter_record_files(outdir):
        count += 1
        if record is None:
            problems.append(f"{relative}: {error}")
            continue
        problems.extend(f"{relative}: {problem}" for problem in validate(record))
    if count == 0:
        problems.append(f"{outdir}: no record files (*.json) found")
    return count, problems


def validate_outputs(outdir: Path, out: TextIO | None = None) -> int:
    """Print one line per problem; exit code 0 when every record is valid, else 1."""
    stream = out if out is not None else sys.stdout
    count, problems = output_problems(outdir)
    if outdir.is_dir():
        for stale in stale_record_paths(outdir):
            print(f"warning: {stale}: {STALE_REASON}", file=sys.stderr)
    for problem in problems:
        print(problem, file=stream)
    print(f"{count} record(s) checked, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0
