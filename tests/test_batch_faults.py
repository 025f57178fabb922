"""The batch under faults: a worker that dies, a document that runs away, a killed main
process, an interrupt, unreadable folders, and paths that try to leave OUTDIR."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from zhextract.batch import WORKER_DIED, Settings, plan_jobs, run_batch
from zhextract.doc import Doc
from zhextract.registry import Stage, register_stage

REPO = Path(__file__).resolve().parent.parent
GOOD = "行政院今天宣布，明年度總預算增加五百億元。\n"
CRASH_ONCE_MARKER: Path | None = None  # set by a test before the workers are forked


SPIN_MARKER = "ZHEXTRACT_TEST_SPIN_MARKER"  # a file a SPIN document creates, if set


@register_stage("test_faults", requires=("text",), provides=())
def make_fault_stage() -> Stage:
    """Does nothing, except on documents asking for a fault: CRASH ends the worker
    process, CRASHONCE does so only the first time, SPIN loops in Python, and DEAF
    loops with the time limit's alarm ignored, as C code holding the interpreter would."""

    def fault(doc: Doc) -> None:
        if "CRASHONCE" in doc.text:
            assert CRASH_ONCE_MARKER is not None
            if not CRASH_ONCE_MARKER.exists():
                CRASH_ONCE_MARKER.write_text("crashed")
                os._exit(3)
        elif "CRASH" in doc.text:
            os._exit(3)
        if "SPIN" in doc.text:
            if SPIN_MARKER in os.environ:  # says the documents before this one are done
                Path(os.environ[SPIN_MARKER]).touch()
            while True:
                pass
        if "DEAF" in doc.text:
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                pass

    return fault


def fault_pipeline(folder: Path) -> str:
    config = folder / "faults.cfg"
    config.write_text(
        '[pipeline]\nname = "faults"\nversion = "1"\nstages = ["normalize", "faults"]\n\n'
        '[stages]\n\n[stages.normalize]\nfactory = "normalize"\n\n'
        '[stages.faults]\nfactory = "test_faults"\n',
        encoding="utf-8",
    )
    return str(config)


def write_inputs(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(
    tmp_path: Path, texts: dict[str, str], workers: int, timeout: float | None = None
) -> tuple[dict[str, str | None], dict]:
    inputs = write_inputs(tmp_path / "in", texts)
    outdir = tmp_path / "out"
    outdir.mkdir()
    settings = Settings(outdir, timeout=timeout)
    summary = run_batch(plan_jobs([inputs]), fault_pipeline(tmp_path), settings, workers)
    errors = {Path(outcome.display).name: outcome.error for outcome in summary.outcomes}
    return errors, json.loads((outdir / "run.json").read_text(encoding="utf-8"))


def good_documents(count: int) -> dict[str, str]:
    return {f"doc{index:02d}.txt": GOOD for index in range(count)}


# ---------------------------------------------------------------- dead workers


@pytest.mark.skipif(sys.platform == "win32", reason="fork start method")
def test_a_dead_worker_fails_its_own_document_only(tmp_path: Path) -> None:
    texts = {**good_documents(8), "doc03.txt": "CRASH 這份文件讓程式結束。\n"}
    errors, summary = run(tmp_path, texts, workers=2)
    assert errors.pop("doc03.txt") == WORKER_DIED
    assert set(errors.values()) == {None}
    assert (summary["documents"], summary["ok"]) == (8, 7)
    assert summary["failed"] == [
        {"path": (tmp_path / "in" / "doc03.txt").as_posix(), "reason": WORKER_DIED}
    ]
    assert sorted(path.name for path in (tmp_path / "out").glob("doc*.json")) == [
        f"doc{index:02d}.json" for index in range(8) if index != 3
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="fork start method")
def test_a_document_whose_worker_died_once_is_retried(tmp_path: Path) -> None:
    global CRASH_ONCE_MARKER
    CRASH_ONCE_MARKER = tmp_path / "crashed"
    texts = {**good_documents(5), "doc02.txt": "CRASHONCE 第一次會中斷。\n"}
    errors, summary = run(tmp_path, texts, workers=2)
    assert CRASH_ONCE_MARKER.exists()
    assert set(errors.values()) == {None}
    assert (summary["ok"], summary["failed"]) == (5, [])


def test_two_crashing_documents_both_fail_and_the_rest_go_on(tmp_path: Path) -> None:
    texts = {**good_documents(6), "doc01.txt": "CRASH 一。\n", "doc04.txt": "CRASH 二。\n"}
    errors, summary = run(tmp_path, texts, workers=3)
    assert errors.pop("doc01.txt") == errors.pop("doc04.txt") == WORKER_DIED
    assert set(errors.values()) == {None}
    assert summary["ok"] == 4


# ---------------------------------------------------------------- time limits


@pytest.mark.parametrize("workers", [1, 2])
def test_a_runaway_document_times_out_alone(tmp_path: Path, workers: int) -> None:
    texts = {**good_documents(3), "doc01.txt": "SPIN 這份文件跑不完。\n"}
    errors, summary = run(tmp_path, texts, workers=workers, timeout=0.5)
    assert errors.pop("doc01.txt") == "took longer than 0.5 s"
    assert set(errors.values()) == {None}
    assert summary["ok"] == 2


def test_without_a_time_limit_documents_run_to_the_end(tmp_path: Path) -> None:
    errors, summary = run(tmp_path, good_documents(2), workers=1, timeout=None)
    assert set(errors.values()) == {None}
    assert summary["interrupted"] is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_CPU and fork")
def test_a_document_deaf_to_the_alarm_kills_its_worker_not_the_batch(
    tmp_path: Path,
) -> None:
    texts = {**good_documents(3), "doc02.txt": "DEAF 聽不到。\n"}
    errors, summary = run(tmp_path, texts, workers=2, timeout=0.3)
    assert errors.pop("doc02.txt") == WORKER_DIED
    assert set(errors.values()) == {None}


def test_timeout_option_is_checked() -> None:
    from zhextract.cli import main

    assert main(["run", "x.txt", "-o", "out", "--timeout", "-1"]) == 2
    assert main(["run", "x.txt", "-o", "out", "--timeout", "nan"]) == 2


# ---------------------------------------------------------------- killed main process

DRIVER = """
import os, sys, time
sys.path.insert(0, {tests!r})
from pathlib import Path
import test_batch_faults as faults
from zhextract.batch import Settings, plan_jobs, run_batch
from zhextract.doc import Doc
from zhextract.registry import register_stage

@register_stage("test_pid", requires=("text",), provides=())
def make_pid_stage():
    def note_pid(doc: Doc) -> None:
        if "WORKER" in doc.text:  # not the warm-up text run before forking
            Path({pids!r}, str(os.getpid())).write_text("")
            while True:
                time.sleep(0.05)
    return note_pid

folder = Path({folder!r})
config = folder / "pid.cfg"
config.write_text('[pipeline]\\nname = "pid"\\nversion = "1"\\nstages = ["normalize", "pid"]\\n\\n'
    '[stages]\\n\\n[stages.normalize]\\nfactory = "normalize"\\n\\n[stages.pid]\\nfactory = "test_pid"\\n')
run_batch(plan_jobs([folder / "in"]), str(config), Settings(folder / "out", timeout=None), 2)
"""


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"not within 60 s: {what}"
        time.sleep(0.02)


def is_running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path) -> None:
    write_inputs(tmp_path / "in", {"a.txt": "WORKER 一。\n", "b.txt": "WORKER 二。\n"})
    (tmp_path / "out").mkdir()
    pids = tmp_path / "pids"
    pids.mkdir()
    script = DRIVER.format(tests=str(REPO / "tests"), pids=str(pids), folder=str(tmp_path))
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    main = subprocess.Popen([sys.executable, "-c", script], env=environment)
    try:
        wait_until(lambda: len(list(pids.iterdir())) == 2, "both workers started")
        workers = [int(path.name) for path in pids.iterdir()]
        assert all(is_running(pid) for pid in workers)
        main.send_signal(signal.SIGKILL)
        main.wait(timeout=30)
        wait_until(lambda: not any(is_running(pid) for pid in workers), "workers gone")
    finally:
        main.kill()
        for path in pids.iterdir():
            if is_running(int(path.name)):
                os.kill(int(path.name), signal.SIGKILL)


# ---------------------------------------------------------------- interrupts


def test_sigterm_writes_an_interrupted_summary(tmp_path: Path) -> None:
    write_inputs(tmp_path / "in", {**good_documents(1), "doc01.txt": "SPIN 不停。\n"})
    fault_pipeline(tmp_path)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(REPO / "tests")!r})
        import test_batch_faults
        from zhextract.cli import main
        sys.exit(main(["run", "in", "-o", "out", "--pipeline", "faults.cfg"]))
        """
    )
    spinning = tmp_path / "spinning"
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src"), SPIN_MARKER: str(spinning)}
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=tmp_path, env=environment, stderr=subprocess.PIPE
    )
    # Once the second document spins, the first one's outcome is in the summary.
    wait_until(spinning.exists, "second document started")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err  # 128 + SIGTERM, as a shell reports it
    summary = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert (summary["documents"], summary["ok"]) == (1, 1)


# ---------------------------------------------------------------- inputs and paths


def test_an_unreadable_folder_is_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = write_inputs(tmp_path / "in", good_documents(1))
    locked = inputs / "locked"
    locked.mkdir()
    (locked / "hidden-from-us.txt").write_text(GOOD, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    jobs = plan_jobs([inputs])
    assert [(Path(job.display).name, job.error) for job in jobs] == [
        ("doc00.txt", None),
        ("locked", "cannot read folder: Permission denied"),
    ]
    assert str(jobs[1].output) == "locked.json"


def test_a_readable_folder_is_no_failure(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "in", good_documents(1))
    write_inputs(inputs / "sub", good_documents(1))
    assert [job.error for job in plan_jobs([inputs])] == [None, None]


def test_outputs_stay_inside_outdir_whatever_the_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "deep" / "work"
    write_inputs(root / "a", good_documents(1))
    (tmp_path / "deep" / "top.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(root)
    jobs = plan_jobs(["*/../../*.txt", "*/../a/*.txt"])
    outputs = sorted(str(job.output) for job in jobs)
    assert outputs == ["a/doc00.json", "top.json"]
    for job in jobs:
        assert ".." not in job.output.parts and not job.output.is_absolute()


def test_a_pattern_through_a_symlink_loop_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = write_inputs(tmp_path / "in" / "sub", good_documents(1))
    (inputs / "loop").symlink_to("..", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    jobs = plan_jobs(["in/**/*.txt"])
    assert [job.display for job in jobs] == ["in/sub/doc00.txt"]


def test_a_single_star_still_matches_a_linked_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_inputs(tmp_path / "real", good_documents(1))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    assert [job.display for job in plan_jobs(["in/*/*.txt"])] == ["in/link/doc00.txt"]


# ---------------------------------------------------------------- what reaches the terminal


def test_control_characters_in_names_are_escaped_on_the_terminal() -> None:
    from zhextract.batch import Outcome, Summary
    from zhextract.progress import summary_lines, terminal_safe

    assert terminal_safe("in/\x1b[2J\r假\u202e名.txt") == "in/\\x1b[2J\\r假\\u202e名.txt"
    assert terminal_safe("新聞 稿/第1篇.txt") == "新聞 稿/第1篇.txt"
    summary = Summary("default", None, outcomes=[Outcome("a\x07.txt", None, error="bad\x1b]0;x")])
    assert summary_lines(summary, "out/run.json")[0] == "error: a\\x07.txt: bad\\x1b]0;x"


# ---------------------------------------------------------------- records of earlier runs


def test_review_and_validate_follow_run_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zhextract.outputs import load_outputs, record_paths
    from zhextract.validate_dir import validate_outputs

    run(tmp_path, good_documents(3), workers=1)
    outdir = tmp_path / "out"
    (tmp_path / "in" / "doc02.txt").unlink()
    settings = Settings(outdir, timeout=None)
    run_batch(plan_jobs([tmp_path / "in"]), fault_pipeline(tmp_path), settings)
    assert [path.name for path in record_paths(outdir)] == ["doc00.json", "doc01.json"]
    outputs = load_outputs(outdir)
    assert [record.path for record in outputs.records] == ["doc00.json", "doc01.json"]
    assert [path for path, _ in outputs.unreadable] == ["doc02.json"]
    capsys.readouterr()
    validate_outputs(outdir)
    assert "warning: doc02.json: not in run.json" in capsys.readouterr().err


def test_without_run_json_every_record_counts(tmp_path: Path) -> None:
    from zhextract.outputs import record_paths, stale_record_paths

    run(tmp_path, good_documents(2), workers=1)
    (tmp_path / "out" / "run.json").unlink()
    assert len(record_paths(tmp_path / "out")) == 2
    assert stale_record_paths(tmp_path / "out") == []
