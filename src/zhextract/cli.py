"""Command line: `zhextract run`, `show`, `review`, `export`, `import-review` and `validate`.

Each subcommand is a pair of functions: `add_<name>_command` declares its arguments and
`<name>_command` runs it and returns the exit code. Exit codes: 0 success, 1 some
documents failed, 2 usage error, 130 interrupted (Ctrl-C, SIGINT), 143 terminated (SIGTERM).
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
from types import ModuleType
from typing import TYPE_CHECKING

from . import __version__
from .watchdog import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from .batch import Engine
    from .output_store import OutputLocation

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # the shell's code for SIGINT (128 + 2)
EXIT_TERMINATED = 143  # the shell's code for SIGTERM (128 + 15)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Command = Callable[[argparse.Namespace], int]
RECORDS_HELP = "a folder written by `zhextract run`, its records.jsonl, or one record file"


class UsageError(Exception):
    """Bad arguments found after parsing; reported as one line, exit code 2."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is but ending with the shell's code for SIGTERM."""


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
    except KeyboardInterrupt as stop:
        print(f"zhextract {args.command_name}: interrupted", file=sys.stderr)
        return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED


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
    add_import_review_command(subcommands)
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
    from .record import OPTIONAL_FIELDS

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
    parser.add_argument(
        "-o",
        "--out",
        required=True,
        metavar="OUTDIR",
        help="output folder: a path, or an fsspec URL such as s3://bucket/prefix/ "
        "(s3:// needs zhextract[s3])",
    )
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
        "--fields",
        metavar="LIST",
        help="comma-separated record fields to keep, of: "
        + ", ".join(OPTIONAL_FIELDS)
        + "; the others are left out and listed in each record's `omitted` (default: all)",
    )
    parser.add_argument(
        "--no-tokens", action="store_true", help="leave out the tokens (most of a record's size)"
    )
    parser.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local: this machine (--jobs processes); dask: a Dask cluster, which also "
        "takes fsspec URLs (s3://, file://, memory://) as inputs (needs zhextract[dask])",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: a running scheduler such as tcp://HOST:8786 "
        "(default: a local cluster with one worker process per core)",
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
    dask_engine = _dask_engine_module(args)
    outdir = _output_folder(args.out, args.jobs, dask_engine)
    overrides = _pipeline_overrides(args)
    _check_pipeline(args.pipeline, dict(overrides))
    stdin = getattr(sys.stdin, "buffer", None) if "-" in args.paths else None
    plan = plan_jobs if dask_engine is None else dask_engine.plan_inputs
    jobs = plan(args.paths, stdin)
    if not jobs:
        raise UsageError("no input files (.txt .md .html .htm .pdf) found")
    omitted = omitted_fields(args.fields, args.no_tokens)
    settings = Settings(
        outdir, doc_date, args.format, args.resume, overrides, omitted, args.timeout or None
    )
    try:
        settings.store.prepare()
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(f"cannot create output folder {args.out!r}: {reason}") from None
    progress = Progress(jobs, sys.stderr, live=sys.stderr.isatty())
    with _sigterm_as_interrupt(), _engine(dask_engine, args.scheduler) as engine:
        try:
            summary = run_batch(
                jobs, args.pipeline, settings, args.jobs, on_outcome=progress, engine=engine
            )
        finally:
            progress.close()
    for line in summary_lines(summary, settings.store.display(SUMMARY_NAME)):
        print(line, file=sys.stderr)
    return EXIT_FAILURES if summary.failures else EXIT_OK


def _dask_engine_module(args: argparse.Namespace) -> ModuleType | None:
    """zhextract.dask_engine for --engine dask (None for the local engine)."""
    if args.engine != "dask":
        if args.scheduler is not None:
            raise UsageError("--scheduler needs --engine dask")
        return None
    if args.jobs != 1:
        raise UsageError("--jobs is for the local engine: a Dask cluster has its own workers")
    try:
        from . import dask_engine
    except ImportError as error:
        raise UsageError(
            f"--engine dask needs Dask ({error.name} is missing): pip install 'zhextract[dask]'"
        ) from None
    return dask_engine


def _output_folder(given: str, jobs: int, dask_engine: ModuleType | None) -> OutputLocation:
    """OUTDIR as a local folder or an fsspec URL; a memory:// folder is seen by this process
    only, so it takes the local engine with one job."""
    from .output_store import in_process_memory, output_location

    try:
        location = output_location(given)
        in_memory = in_process_memory(location)
    except ImportError as error:
        raise UsageError(
            f"cannot write to {given!r} ({error}): pip install 'zhextract[s3]' for s3://, "
            "or the fsspec package of its filesystem"
        ) from None
    except ValueError as error:
        raise UsageError(f"cannot write to {given!r}: {error}") from None
    if in_memory and (dask_engine is not None or jobs > 1):
        raise UsageError(
            f"{given!r} lives in this process's memory, which worker processes cannot see: "
            "write to a folder or an object store, or use the local engine with one job"
        )
    return location


@contextlib.contextmanager
def _engine(dask_engine: ModuleType | None, scheduler: str | None) -> Iterator[Engine | None]:
    if dask_engine is None:
        yield None
        return
    with dask_engine.dask_client(scheduler, sys.stderr) as client:
        yield dask_engine.DaskEngine(client)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so queued work is dropped and nothing half-written stays."""

    def interrupt(signum: int, frame: object) -> None:
        raise Terminated

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def omitted_fields(fields: str | None, no_tokens: bool) -> tuple[str, ...]:
    """The optional record fields `--fields` and `--no-tokens` leave out, in record order."""
    from .record import OPTIONAL_FIELDS

    keep = set(OPTIONAL_FIELDS)
    if fields is not None:
        named = {name.strip() for name in fields.split(",") if name.strip()}
        unknown = sorted(named - keep)
        if unknown:
            raise UsageError(
                f"--fields: unknown field {unknown[0]!r}; choose from {', '.join(OPTIONAL_FIELDS)}"
            )
        keep = named
    if no_tokens:
        keep.discard("tokens")
    return tuple(name for name in OPTIONAL_FIELDS if name not in keep)


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

    if name.endswith(".cfg") and not Path(name).is_file():
        raise UsageError(f"--pipeline: no such file {name!r}")
    try:
        load(name, overrides)
    except Exception as error:  # any config problem: missing file, syntax, unknown stage
        raise UsageError(f"cannot load pipeline {name!r}: {' '.join(str(error).split())}") from None


# ---------------------------------------------------------------- show


def add_show_command(subcommands: argparse._SubParsersAction) -> None:
    parser = _add_command(
        subcommands,
        "show",
        show_command,
        "Print records with their entities, figures and dates marked.",
    )
    parser.add_argument("record", metavar="PATH", help=RECORDS_HELP)
    parser.add_argument("--id", metavar="ID", help="only the record with this id")
    style = parser.add_mutually_exclusive_group()
    style.add_argument("--plain", action="store_true", help="brackets, no colours")
    style.add_argument("--color", action="store_true", help="colours even when not a terminal")


def show_command(args: argparse.Namespace) -> int:
    from .show import RecordError, load_records, render_all

    try:
        records = load_records(args.record, args.id)
    except RecordError as error:
        print(f"error: {args.record}: {error}", file=sys.stderr)
        return EXIT_FAILURES
    colour = args.color or (not args.plain and sys.stdout.isatty())
    try:
        sys.stdout.write(render_all(records, colour=colour))
        sys.stdout.flush()
    except BrokenPipeError:  # `zhextract show r.json | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


# ---------------------------------------------------------------- review, export, validate


def add_review_command(subcommands: argparse._SubParsersAction) -> None:
    parser = _add_command(
        subcommands, "review", review_command, "Write one self-contained HTML page to review a run."
    )
    parser.add_argument("outdir", metavar="PATH", help=RECORDS_HELP)
    parser.add_argument(
        "-o", "--out", metavar="FILE", help="default: review.html in PATH (or beside it)"
    )


def review_command(args: argparse.Namespace) -> int:
    from .review import write_review

    source = Path(args.outdir)
    folder = source if source.is_dir() else source.parent
    return write_review(source, Path(args.out) if args.out else folder / "review.html")


def add_export_command(subcommands: argparse._SubParsersAction) -> None:
    from .export import FORMATS

    parser = _add_command(
        subcommands,
        "export",
        export_command,
        "Export a run's entities, dates and figures, with their values, for other tools.",
    )
    parser.add_argument("outdir", metavar="PATH", help=RECORDS_HELP)
    parser.add_argument("--to", "--format", dest="format", required=True, choices=sorted(FORMATS))
    parser.add_argument("-o", "--out", required=True, metavar="DEST", help="file to write")


def export_command(args: argparse.Namespace) -> int:
    from .export import export_outputs

    return export_outputs(Path(args.outdir), args.format, Path(args.out))


def add_import_review_command(subcommands: argparse._SubParsersAction) -> None:
    parser = _add_command(
        subcommands,
        "import-review",
        import_review_command,
        "Turn a reviewed doccano JSONL or Label Studio export back into records.",
    )
    parser.add_argument("file", metavar="FILE", help="doccano .jsonl or Label Studio .json")
    parser.add_argument("-o", "--out", required=True, metavar="OUTDIR", help="output folder")
    parser.add_argument(
        "--records",
        metavar="PATH",
        help="the run the export was made from (folder, records.jsonl or record file); "
        "without it each record is rebuilt by running its pipeline on the task's text",
    )


def import_review_command(args: argparse.Namespace) -> int:
    from .review_import import import_review

    records = Path(args.records) if args.records else None
    return import_review(Path(args.file), Path(args.out), records)


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
