"""Command line: `zhextract run`, `show`, `review`, `export` and `validate`.

Each subcommand is a pair of functions: `add_<name>_command` declares its arguments and
`<name>_command` runs it and returns the exit code. Exit codes: 0 success, 1 some
documents failed, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from . import __version__
from .watchdog import DEFAULT_TIMEOUT

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # the shell's code for SIGINT
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Command = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Bad arguments found after parsing; reported as one line, exit code 2."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # argparse exits on --help and on bad arguments
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_USAGE
    command: Command | None = getattr(args, "command", None)
    if command is None:
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    try:
        return command(args)
    except UsageError as error:
        print(f"zhextract {args.command_name}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"zhextract {args.command_name}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhextract",
        description="Structured JSON from Traditional Chinese documents.",
    )
    parser.add_argument("--version", action="version", version=f"zhextract {__version__}")
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND")
    add_run_command(subcommands)
    add_show_command(subcommands)
    add_review_command(subcommands)
    add_export_command(subcommands)
    add_validate_command(subcommands)
    return parser


def _add_command(
    subcommands: argparse._SubParsersAction, name: str, command: Command, help_text: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subcommands.add_parser(
        name, help=help_text, description=help_text
    )
    parser.set_defaults(command=command, command_name=name)
    return parser


# ---------------------------------------------------------------- run


def add_run_command(subcommands: argparse._SubParsersAction) -> None:
    parser = _add_command(
        subcommands, "run", run_command, "Process documents into one JSON record each."
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files (.txt .md .html .htm .pdf), folders, glob patterns such as "
        "'docs/**/*.txt', or - for standard input",
    )
    parser.add_argument("-o", "--out", required=True, metavar="OUTDIR", help="output folder")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="document date for every input")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes")
    parser.add_argument(
        "--pipeline", default="default", metavar="NAME|FILE", help="bundled name or .cfg file"
    )
    parser.add_argument(
        "--user-dict",
        metavar="FILE",
        help="a jieba-format word list (one word per line, optional frequency and POS tag) "
        "added to the segmenter's dictionary",
    )
    parser.add_argument(
        "--format",
        choices=["json", "jsonl"],
        default="json",
        help="json: one file per document (default); jsonl: all in OUTDIR/records.jsonl",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="skip documents whose record in OUTDIR is current (same input, pipeline, date)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="time limit per document, after which it is reported failed "
        f"(default {DEFAULT_TIMEOUT:g}; 0 for none)",
    )


def run_command(args: argparse.Namespace) -> int:
    from .batch import SUMMARY_NAME, Settings, plan_jobs, run_batch
    from .progress import Progress, summary_lines

    doc_date = parse_date_option(args.date)
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {args.jobs}")
    if not args.timeout >= 0 or args.timeout == float("inf"):
        raise UsageError(f"--timeout must be a number of seconds, got {args.timeout}")
    outdir = Path(args.out)
    overrides = _pipeline_overrides(args)
    _check_pipeline(args.pipeline, dict(overrides))
    stdin = getattr(sys.stdin, "buffer", None) if "-" in args.paths else None
    jobs = plan_jobs(args.paths, stdin)
    if not jobs:
        raise UsageError("no input files (.txt .md .html .htm .pdf) found")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create output folder {args.out!r}: {error.strerror}") from None
    timeout = args.timeout or None
    settings = Settings(outdir, doc_date, args.format, args.resume, overrides, timeout)
    progress = Progress(jobs, sys.stderr, live=sys.stderr.isatty())
    with _sigterm_as_interrupt():
        try:
            summary = run_batch(jobs, args.pipeline, settings, args.jobs, on_outcome=progress)
        finally:
            progress.close()
    for line in summary_lines(summary, (outdir / SUMMARY_NAME).as_posix()):
        print(line, file=sys.stderr)
    return EXIT_FAILURES if summary.failures else EXIT_OK


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so queued work is dropped and nothing half-written stays."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def parse_date_option(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date must be a date as YYYY-MM-DD, got {value!r}") from None


def _pipeline_overrides(args: argparse.Namespace) -> tuple[tuple[str, str], ...]:
    if args.user_dict is None:
        return ()
    user_dict = Path(args.user_dict)
    if not user_dict.is_file():
        raise UsageError(f"--user-dict: no such file {args.user_dict!r}")
    return (("stages.segment.user_dict", str(user_dict.resolve())),)


def _check_pipeline(name: str, overrides: dict[str, str] | None = None) -> None:
    """Load the pipeline up front so a bad name or config is a usage error, not N failures."""
    from . import load

    try:
        load(name, overrides)
    except Exception as error:  # any config problem: missing file, syntax, unknown stage
        raise UsageError(f"cannot load pipeline {name!r}: {' '.join(str(error).split())}") from None


# ---------------------------------------------------------------- show


def add_show_command(subcommands: argparse._SubParsersAction) -> None:
    parser = _add_command(
        subcommands, "show", show_command, "Print a record with its entities and figures marked."
    )
    parser.add_argument("record", metavar="RECORD.json")
    style = parser.add_mutually_exclusive_group()
    style.add_argument("--plain", action="store_true", help="brackets, no colours")
    style.add_argument("--color", action="store_true", help="colours even when not a terminal")


def show_command(args: argparse.Namespace) -> int:
    from .show import RecordError, load_record, render

    try:
        record = load_record(args.record)
    except RecordError as error:
        print(f"error: {args.record}: {error}", file=sys.stderr)
        return EXIT_FAILURES
    colour = args.color or (not args.plain and sys.stdout.isatty())
    try:
        sys.stdout.write(render(record, colour=colour))
        sys.stdout.flush()
    except BrokenPipeError:  # `zhextract show r.json | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


# ---------------------------------------------------------------- review, export, validate


def add_review_command(subcommands: argparse._SubParsersAction) -> None:
    parser = _add_command(
        subcommands, "review", review_command, "Write one self-contained HTML page to review a run."
    )
    parser.add_argument("outdir", metavar="OUTDIR", help="a folder written by `zhextract run`")
    parser.add_argument("-o", "--out", metavar="FILE", help="default: OUTDIR/review.html")


def review_command(args: argparse.Namespace) -> int:
    from .review import write_review

    outdir = Path(args.outdir)
    return write_review(outdir, Path(args.out) if args.out else outdir / "review.html")


def add_export_command(subcommands: argparse._SubParsersAction) -> None:
    from .export import FORMATS

    parser = _add_command(
        subcommands,
        "export",
        export_command,
        "Export a run's entities and figures for other tools.",
    )
    parser.add_argument("outdir", metavar="OUTDIR", help="a folder written by `zhextract run`")
    parser.add_argument("--to", "--format", dest="format", required=True, choices=sorted(FORMATS))
    parser.add_argument("-o", "--out", required=True, metavar="DEST", help="file to write")


def export_command(args: argparse.Namespace) -> int:
    from .export import export_outputs

    return export_outputs(Path(args.outdir), args.format, Path(args.out))


def add_validate_command(subcommands: argparse._SubParsersAction) -> None:
    parser = _add_command(
        subcommands,
        "validate",
        validate_command,
        "Check every record against the schema and the offset invariants.",
    )
    parser.add_argument("outdir", metavar="OUTDIR", help="a folder written by `zhextract run`")


def validate_command(args: argparse.Namespace) -> int:
    from .validate_dir import validate_outputs

    return validate_outputs(Path(args.outdir))
