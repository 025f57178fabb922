"""Batch runs: input kinds (globs, stdin, HTML, PDF), jsonl output, resume after an
interruption, progress output and determinism across worker counts."""

from __future__ import annotations

import codecs
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_cli import error_lines, run_cli
from test_reading import (
    ARTICLE_PARAGRAPHS,
    ARTICLE_TITLE,
    BOILERPLATE,
    article_page,
    minimal_pdf,
)

from zhextract.batch import (
    Job,
    Outcome,
    Settings,
    Summary,
    plan_jobs,
    remove_stale_temporaries,
    write_atomically,
)
from zhextract.progress import Progress, summary_lines
from zhextract.record import offset_errors, validate

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "src" / "zhextract" / "schemas" / "record.schema.json"
NEWS = "行政院今天宣布，明年度總預算增加五百億元。\n\n經濟部表示，1月出口成長12.5%。\n"
OTHER = "中央銀行宣布升息半碼，利率調整為2.125%。\n"
PDF_LINES = ["國家發展委員會今天公布景氣燈號，", "連續三個月亮出黃紅燈。"]


def output_files(outdir: Path, keep_summary: bool = False) -> dict[str, bytes]:
    """Every file under `outdir`, hidden ones included, by relative path."""
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and (keep_summary or path.name != "run.json")
    }


def read_summary(outdir: Path) -> dict:
    return json.loads((outdir / "run.json").read_text(encoding="utf-8"))


def run_module(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhextract", *map(str, argv)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


# ---------------------------------------------------------------- inputs


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "2024" / "q1").mkdir(parents=True)
    (root / "2024" / "q1" / "a.txt").write_text(NEWS, encoding="utf-8")
    (root / "2024" / "b.txt").write_text(OTHER, encoding="utf-8")
    (root / "2024" / "c.md").write_text(OTHER, encoding="utf-8")
    (root / "top.txt").write_text(NEWS, encoding="utf-8")
    (root / "2024" / ".hidden.txt").write_text(NEWS, encoding="utf-8")
    return root


def test_glob_patterns_are_expanded(tree: Path) -> None:
    jobs = plan_jobs([f"{tree.as_posix()}/**/*.txt"])
    assert [(job.display, job.output.as_posix(), job.error) for job in jobs] == [
        (f"{tree.as_posix()}/2024/b.txt", "2024/b.json", None),
        (f"{tree.as_posix()}/2024/q1/a.txt", "2024/q1/a.json", None),
        (f"{tree.as_posix()}/top.txt", "top.json", None),
    ]
    one_level = plan_jobs([f"{tree.as_posix()}/2024/*"])
    assert [job.output.as_posix() for job in one_level] == ["b.json", "c.json", "q1/a.json"]


def test_pattern_without_matches_is_a_per_file_error(tree: Path) -> None:
    jobs = plan_jobs([tree / "*.pdf", tree / "top.txt"])
    assert [(job.display, job.error) for job in jobs] == [
        (f"{tree.as_posix()}/*.pdf", "no input files match this pattern"),
        (f"{tree.as_posix()}/top.txt", None),
    ]


def test_an_existing_name_with_wildcard_characters_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "report[1].txt"
    path.write_text(OTHER, encoding="utf-8")
    (tmp_path / "report1.txt").write_text(OTHER, encoding="utf-8")
    assert [job.display for job in plan_jobs([path])] == [path.as_posix()]


def test_glob_on_the_command_line(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = tmp_path / "out"
    code, _, err = run_cli(
        capsys, "run", f"{tree.as_posix()}/**/*.md", tree / "top.txt", "-o", outdir
    )
    assert (code, error_lines(err)) == (0, [])
    assert sorted(output_files(outdir)) == ["2024/c.json", "top.json"]


def use_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_stdin(monkeypatch, NEWS.encode("big5"))
    outdir = tmp_path / "out"
    code, _, err = run_cli(capsys, "run", "-", "-o", outdir)
    assert (code, err.splitlines()[0]) == (0, "[1/1] <stdin>: ok")
    record = json.loads((outdir / "stdin.json").read_text(encoding="utf-8"))
    assert record["source"]["path"] is None
    assert record["source"]["encoding"] in ("big5", "cp950")
    assert "五百億元" in record["text"]
    assert read_summary(outdir)["records"] == [{"path": "<stdin>", "record": "stdin.json"}]


def test_stdin_html_page_is_recognised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_stdin(monkeypatch, article_page().encode())
    outdir = tmp_path / "out"
    assert run_cli(capsys, "run", "-", "-o", outdir)[0] == 0
    record = json.loads((outdir / "stdin.json").read_text(encoding="utf-8"))
    assert record["text"].split("\n") == [ARTICLE_TITLE, *ARTICLE_PARAGRAPHS]


def test_empty_stdin_fails_alone(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_stdin(monkeypatch, b"")
    code, _, err = run_cli(capsys, "run", tree / "top.txt", "-", "-o", tmp_path / "out")
    assert (code, error_lines(err)) == (1, ["error: <stdin>: empty file"])


def test_html_page_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "news.html"
    page.write_bytes(article_page("big5").encode("big5"))
    outdir = tmp_path / "out"
    assert run_cli(capsys, "run", page, "-o", outdir)[0] == 0
    record = json.loads((outdir / "news.json").read_text(encoding="utf-8"))
    text = record["text"]
    assert text.split("\n") == [ARTICLE_TITLE, *ARTICLE_PARAGRAPHS]
    assert all(part not in text for part in BOILERPLATE)
    assert [text[item["start"] : item["end"]] for item in record["paragraphs"]] == [
        ARTICLE_TITLE,
        *ARTICLE_PARAGRAPHS,
    ]
    assert record["source"]["encoding"] == "big5"
    assert offset_errors(record) == []


def test_pdf_records_and_scans(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.pdf").write_bytes(minimal_pdf([PDF_LINES[:1], PDF_LINES[1:]]))
    (tmp_path / "in" / "scan.pdf").write_bytes(minimal_pdf([[]]))
    outdir = tmp_path / "out"
    code, _, err = run_cli(capsys, "run", tmp_path / "in", "-o", outdir)
    scan = (tmp_path / "in" / "scan.pdf").as_posix()
    assert (code, error_lines(err)) == (1, [f"error: {scan}: no text layer (scanned PDF?)"])
    record = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
    assert record["source"]["encoding"] == "pdf"
    # The page break fell mid-sentence; normalize keeps the words, drops no character.
    assert record["text"].replace("\n", "") == "".join(PDF_LINES)
    assert offset_errors(record) == []


# ---------------------------------------------------------------- jsonl


def test_jsonl_holds_the_json_records_in_input_order(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "empty.txt").write_bytes(b"")
    assert run_cli(capsys, "run", tree, "-o", tmp_path / "json", "--date", "2025-01-02")[0] == 1
    code, _, _ = run_cli(
        capsys, "run", tree, "-o", tmp_path / "jsonl", "--format", "jsonl", "--date", "2025-01-02"
    )
    assert code == 1
    assert sorted(output_files(tmp_path / "jsonl")) == ["records.jsonl"]
    lines = (tmp_path / "jsonl" / "records.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    parsed = [json.loads(line) for line in lines[:-1]]
    for line, record in zip(lines, parsed):
        assert line == json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    by_name = read_summary(tmp_path / "json")["records"]
    assert [record["source"]["path"] for record in parsed] == [item["path"] for item in by_name]
    for item, record in zip(by_name, parsed):
        assert json.loads((tmp_path / "json" / item["record"]).read_bytes()) == record
    summary = read_summary(tmp_path / "jsonl")
    assert summary["format"] == "jsonl"
    assert summary["records"] == [
        {"path": item["path"], "record": "records.jsonl", "line": number}
        for number, item in enumerate(by_name, start=1)
    ]
    assert summary["failed"] == [{"path": (tree / "empty.txt").as_posix(), "reason": "empty file"}]


# ---------------------------------------------------------------- resume


def test_resume_skips_current_records(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = tmp_path / "out"
    run_cli(capsys, "run", tree, "-o", outdir, "--date", "2025-01-02")
    first = output_files(outdir)
    (tree / "top.txt").write_text(OTHER, encoding="utf-8")  # changed since the first run
    code, _, err = run_cli(capsys, "run", tree, "-o", outdir, "--date", "2025-01-02", "--resume")
    assert code == 0
    assert [line.rsplit(": ", 1)[1] for line in err.splitlines()[:-1]] == [
        "skipped",
        "skipped",
        "skipped",
        "ok",
    ]
    summary = read_summary(outdir)
    assert (summary["documents"], summary["ok"], summary["skipped"]) == (4, 1, 3)
    assert summary["chars"] == len(OTHER)
    second = output_files(outdir)
    assert {name for name in first if first[name] != second[name]} == {"top.json"}
    # Another date or pipeline makes every record stale.
    run_cli(capsys, "run", tree, "-o", outdir, "--date", "2025-01-03", "--resume")
    assert read_summary(outdir)["skipped"] == 0
    config = tmp_path / "small.cfg"
    config.write_text(
        '[pipeline]\nname = "small"\nversion = "1"\nstages = ["normalize"]\n\n'
        '[stages]\n\n[stages.normalize]\nfactory = "normalize"\n',
        encoding="utf-8",
    )
    run_cli(
        capsys, "run", tree, "-o", outdir, "--date", "2025-01-03", "--resume", "--pipeline", config
    )
    assert read_summary(outdir)["skipped"] == 0


def test_resume_with_jsonl(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outdir = tmp_path / "out"
    run_cli(capsys, "run", tree, "-o", outdir, "--format", "jsonl")
    first = (outdir / "records.jsonl").read_bytes()
    run_cli(capsys, "run", tree, "-o", outdir, "--format", "jsonl", "--resume")
    assert read_summary(outdir)["skipped"] == 4
    assert (outdir / "records.jsonl").read_bytes() == first


def test_damaged_record_is_redone(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = tmp_path / "out"
    run_cli(capsys, "run", tree, "-o", outdir)
    first = output_files(outdir)
    (outdir / "top.json").write_text('{"source": ', encoding="utf-8")
    run_cli(capsys, "run", tree, "-o", outdir, "--resume")
    assert read_summary(outdir)["skipped"] == 3
    assert output_files(outdir) == first


def long_document(number: int) -> str:
    """About 4,000 characters, so that a run of 30 takes long enough to interrupt."""
    return "".join(
        f"第{number}之{line}段：行政院今天宣布，明年度總預算增加{number * 7 + line}億元，"
        f"經濟部表示{line % 12 + 1}月出口成長{line % 9}.5%。\n"
        for line in range(80)
    )


def write_long_documents(folder: Path) -> None:
    folder.mkdir()
    for number in range(30):
        (folder / f"doc{number:02d}.txt").write_text(long_document(number), encoding="utf-8")


def wait_for_first_record(outdir: Path, process: subprocess.Popen[bytes]) -> None:
    wait_until(lambda: any(outdir.glob("doc*.json")), process)


def wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    """Wait (up to 60 s) until `ready()` while the run is still going."""
    deadline = time.monotonic() + 60
    while not ready():
        assert process.poll() is None, "the run ended before writing a record"
        assert time.monotonic() < deadline, "no record written within 60 s"
        time.sleep(0.005)


def test_killed_run_resumes_to_identical_outputs(tmp_path: Path) -> None:
    write_long_documents(tmp_path / "in")
    args = ["run", "in", "--date", "2025-04-01"]
    assert run_module(*args, "-o", "clean", cwd=tmp_path).returncode == 0
    clean = output_files(tmp_path / "clean")

    process = subprocess.Popen(
        [sys.executable, "-m", "zhextract", *args, "-o", "killed"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_first_record(tmp_path / "killed", process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    left = output_files(tmp_path / "killed", keep_summary=True)
    assert 0 < len(left) < len(clean), "the kill should land mid-run"
    for name, content in left.items():  # only whole records, no temporary files
        assert content == clean[name], name

    resumed = run_module(*args, "-o", "killed", "--resume", cwd=tmp_path)
    assert resumed.returncode == 0
    assert output_files(tmp_path / "killed") == clean
    summary = read_summary(tmp_path / "killed")
    assert (summary["skipped"], summary["ok"]) == (len(left), len(clean) - len(left))


def test_killed_jsonl_run_keeps_its_finished_records_and_resumes(tmp_path: Path) -> None:
    write_long_documents(tmp_path / "in")
    args = ["run", "in", "--date", "2025-04-01", "--format", "jsonl"]
    assert run_module(*args, "-o", "clean", cwd=tmp_path).returncode == 0
    clean = (tmp_path / "clean" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert not (tmp_path / "clean" / "records.jsonl.partial").exists()

    process = subprocess.Popen(
        [sys.executable, "-m", "zhextract", *args, "-o", "killed"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    journal = tmp_path / "killed" / "records.jsonl.partial"
    wait_until(lambda: journal.exists() and b"\n" in journal.read_bytes(), process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    kept = journal.read_text(encoding="utf-8").split("\n")[:-1]  # whole lines only
    assert 0 < len(kept) < len(clean), "the kill should land mid-run"
    assert kept == clean[: len(kept)]

    resumed = run_module(*args, "-o", "killed", "--resume", cwd=tmp_path)
    assert resumed.returncode == 0
    assert (tmp_path / "killed" / "records.jsonl").read_text(encoding="utf-8").splitlines() == clean
    assert not journal.exists()
    assert read_summary(tmp_path / "killed")["skipped"] == len(kept)


@pytest.mark.parametrize(
    ("stop", "exit_code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["term", "int"]
)
def test_a_stop_signal_stops_cleanly_with_the_shells_code(
    tmp_path: Path, stop: signal.Signals, exit_code: int
) -> None:
    write_long_documents(tmp_path / "in")
    process = subprocess.Popen(
        [sys.executable, "-m", "zhextract", "run", "in", "-o", "out", "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell starts background commands with SIGINT ignored, which Python then keeps:
        # the run must see the signal however the tests were started.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wait_for_first_record(tmp_path / "out", process)
    process.send_signal(stop)
    _, err = process.communicate(timeout=60)
    assert process.returncode == exit_code  # 128 + the signal's number
    assert err.splitlines()[-1] == "zhextract run: interrupted"
    assert "Traceback" not in err
    names = sorted(output_files(tmp_path / "out"))
    assert 0 < len(names) < 30
    assert all(name.startswith("doc") and name.endswith(".json") for name in names)
    summary = read_summary(tmp_path / "out")
    assert summary["interrupted"] is True
    assert summary["ok"] <= len(names)  # documents running at the signal finish too


# ---------------------------------------------------------------- writing


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    stale = [
        tmp_path / ".a.json.x1y2z3.tmp",
        tmp_path / "sub" / ".records.jsonl.q9.tmp",
        tmp_path / ".long.json.5e6f7a8b.line.tmp",  # a spilled jsonl line of a killed run
    ]
    kept = [
        tmp_path / ".notes.tmp",
        tmp_path / "a.json",
        tmp_path / ".config",
        tmp_path / ".notes.line.tmp",
        tmp_path / ".a.json.line.tmp",
    ]
    for path in stale + kept:
        path.write_text("{", encoding="utf-8")
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted(stale)
    assert sorted(path for path in tmp_path.rglob("*") if path.is_file()) == sorted(kept)


def default_file_mode() -> int:
    """The mode `open()` gives a new file under this process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def test_atomic_write_content_and_mode(tmp_path: Path) -> None:
    target = tmp_path / "new" / "record.json"
    write_atomically(target, "內容\n")
    write_atomically(target, "新的內容\n")
    assert target.read_bytes() == "新的內容\n".encode()
    assert target.stat().st_mode & 0o777 == default_file_mode()
    assert [path.name for path in target.parent.iterdir()] == ["record.json"]


def test_atomic_write_without_unnamed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    target = tmp_path / "record.json"
    write_atomically(target, "舊內容\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "新內容\ud800")
    write_atomically(target, "新內容\n")
    assert target.read_bytes() == "新內容\n".encode()
    assert target.stat().st_mode & 0o777 == default_file_mode()
    assert [path.name for path in tmp_path.iterdir()] == ["record.json"]


def test_closed_stdin_is_a_per_file_error(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = run_cli(capsys, "run", "-", tree / "top.txt", "-o", tmp_path / "out")
    assert (code, error_lines(err)) == (1, ["error: <stdin>: standard input is not available"])


# ---------------------------------------------------------------- progress


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def progress_jobs() -> list[Job]:
    return [
        Job(Path(name), name, Path(name).with_suffix(".json"), size=size)  # type: ignore[arg-type]
        for name, size in [("a.txt", 100), ("b.txt", 300), ("c.txt", 600)]
    ]


def test_progress_log_lines() -> None:
    stream = io.StringIO()
    progress = Progress(progress_jobs(), stream, live=False)
    progress(Outcome("a.txt", "a.json", chars=30))
    progress(Outcome("b.txt", None, error="empty file"))
    progress(Outcome("c.txt", "c.json", skipped=True))
    progress.close()
    assert stream.getvalue() == (
        "[1/3] a.txt: ok\n[2/3] b.txt: failed: empty file\n[3/3] c.txt: skipped\n"
    )


def test_progress_terminal_line() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(progress_jobs(), stream, live=True, clock=clock)
    clock.now += 2.0
    progress(Outcome("a.txt", "a.json", chars=3000))
    # 100 of 1,000 bytes in 2 s: 900 bytes to go take 18 s.
    assert progress.status_line() == "[1/3] 1 ok, 0 failed, 0 skipped | 1,500 chars/s | ETA 0:18"
    clock.now += 0.05  # too soon to redraw
    progress(Outcome("b.txt", None, error="empty file"))
    clock.now += 1.0
    progress(Outcome("c.txt", "c.json", chars=1500))
    progress.close()
    drawn = stream.getvalue()
    assert drawn.startswith("\r[0/3] 0 ok, 0 failed, 0 skipped | - chars/s | ETA -:--\x1b[K\r[1/3]")
    assert drawn.count("\r") == 3
    assert drawn.endswith("\r[3/3] 2 ok, 1 failed, 0 skipped | 1,475 chars/s | ETA 0:00\x1b[K\n")


def test_summary_lines() -> None:
    summary = Summary("default", None)
    summary.outcomes = [
        Outcome("a.txt", "a.json", chars=1000),
        Outcome("b.txt", None, error="empty file"),
        Outcome("c.txt", "c.json", skipped=True),
    ]
    summary.seconds = 0.5
    assert summary_lines(summary, "out/run.json") == [
        "error: b.txt: empty file",
        "3 documents: 1 ok, 1 failed, 1 skipped; 1,000 chars in 0.50 s (2,000 chars/s); "
        "summary in out/run.json",
    ]


def test_settings_date_text() -> None:
    assert Settings(Path("out")).doc_date_text is None


# ---------------------------------------------------------------- done when


def test_mixed_folder_with_two_workers(tmp_path: Path) -> None:
    """Good files of every kind and encoding get records; each bad file gets one clear
    error line; two workers write exactly what one does."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "news.txt").write_text(NEWS, encoding="utf-8")
    (folder / "notes.md").write_text("# 會議紀錄\n\n" + OTHER, encoding="utf-8")
    (folder / "legacy.txt").write_bytes(OTHER.encode("big5"))
    (folder / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + NEWS.encode("utf-16-le"))
    (folder / "report.pdf").write_bytes(minimal_pdf([PDF_LINES]))
    (folder / "page.html").write_text(article_page(), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.md").write_bytes(bytes(range(256)) * 4)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not walked")
    parallel = run_module("run", "mixed", "-o", "two", "--jobs", "2", cwd=tmp_path)
    assert parallel.returncode == 1
    assert "Traceback" not in parallel.stderr
    assert error_lines(parallel.stderr) == [
        "error: mixed/blob.md: binary file (not text): contains NUL bytes",
        "error: mixed/empty.txt: empty file",
    ]
    records = output_files(tmp_path / "two")
    assert sorted(records) == [
        "legacy.json",
        "news.json",
        "notes.json",
        "page.json",
        "report.json",
        "wide.json",
    ]
    for name, content in records.items():
        assert offset_errors(json.loads(content)) == [], name
        if SCHEMA.is_file():
            assert validate(json.loads(content)) == [], name
    texts = {name: json.loads(content)["text"] for name, content in records.items()}
    assert "2.125%" in texts["legacy.json"]
    assert "五百億元" in texts["wide.json"]
    assert texts["page.json"].startswith(ARTICLE_TITLE)
    assert texts["report.json"].replace("\n", "") == "".join(PDF_LINES)
    serial = run_module("run", "mixed", "-o", "one", "--jobs", "1", cwd=tmp_path)
    assert serial.returncode == 1
    assert output_files(tmp_path / "one") == records
