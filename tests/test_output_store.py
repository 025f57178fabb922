"""`zhextract run -o URL` with the local engine: the same bytes as a local folder (memory://,
and objtest://, a local folder with an object store's rules: no rename, no append), --resume
through the store, jsonl journal parts, a bad document, and usage errors."""

from __future__ import annotations

import importlib.util
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

fsspec = pytest.importorskip("fsspec", reason="fsspec (zhextract[s3] or [dask]) is not installed")

import object_store_fs  # noqa: E402
from test_batch import output_files, read_summary  # noqa: E402
from test_cli import error_lines, run_cli  # noqa: E402

from zhextract import chunking, output_store  # noqa: E402
from zhextract.batch import JOURNAL_NAME, Outcome, Settings, plan_jobs, run_batch  # noqa: E402
from zhextract.output_store import (  # noqa: E402
    FsspecStore,
    JournalFile,
    LocalStore,
    open_store,
    output_location,
)

PIPELINE = "fast"
DOCUMENTS = 12
BAD_NAME = "bad.txt"
BAD_REASON = "binary file (not text): contains NUL bytes"
TIMINGS = ("seconds", "chars_per_second")


def generated_text(number: int) -> str:
    return f"經濟部{number % 28 + 1}日表示，出口增加{number}億元，成長{number % 17}.5%。\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store-corpus") / "docs"
    for number in range(DOCUMENTS):
        path = root / f"group{number % 3}" / f"doc{number:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated_text(number), encoding="utf-8")
    (root / BAD_NAME).write_bytes(b"\x00\x01 not text")
    return root


@pytest.fixture(autouse=True)
def objtest() -> None:
    object_store_fs.register()


@pytest.fixture
def memory_out() -> Iterator[str]:
    folder = f"/zhextract-out-{uuid.uuid4().hex[:8]}"
    yield f"memory://{folder}/out"
    memory = fsspec.filesystem("memory")
    if memory.exists(folder):
        memory.rm(folder, recursive=True)


def memory_files(url: str, keep_summary: bool = False) -> dict[str, bytes]:
    """As test_batch.output_files, for a memory:// folder."""
    memory, root = fsspec.core.url_to_fs(url)
    return {
        path[len(root) + 1 :]: memory.cat_file(path)
        for path in sorted(memory.find(root))
        if keep_summary or not path.endswith("/run.json")
    }


def summary_without_timings(summary: dict) -> dict:
    assert all(summary[name] is not None for name in TIMINGS)
    return {name: value for name, value in summary.items() if name not in TIMINGS}


def url_output(kind: str, tmp_path: Path, memory_out: str) -> tuple[str, Path | None]:
    """An OUTDIR URL, and the local folder behind it for objtest://."""
    if kind == "memory":
        return memory_out, None
    folder = tmp_path / "objects"
    return object_store_fs.url(folder), folder


def files_at(url: str, folder: Path | None, keep_summary: bool = False) -> dict[str, bytes]:
    return output_files(folder, keep_summary) if folder else memory_files(url, keep_summary)


# ---------------------------------------------------------------- the same bytes


@pytest.mark.parametrize(("kind", "jobs"), [("memory", "1"), ("objtest", "1"), ("objtest", "2")])
@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_url_output_has_the_bytes_of_a_local_run(
    kind: str,
    jobs: str,
    output_format: str,
    corpus: Path,
    memory_out: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, folder = url_output(kind, tmp_path, memory_out)
    local = tmp_path / "local"
    common = ["--pipeline", PIPELINE, "--format", output_format, "--jobs", jobs]
    local_code, _, local_err = run_cli(capsys, "run", corpus, "-o", local, *common)
    code, _, err = run_cli(capsys, "run", corpus, "-o", url, *common)
    assert code == local_code == 1  # the bad document
    assert error_lines(err) == [f"error: {(corpus / BAD_NAME).as_posix()}: {BAD_REASON}"]
    written = files_at(url, folder, keep_summary=True)
    expected = output_files(local)
    assert {name: data for name, data in written.items() if name != "run.json"} == expected
    summary = json.loads(written["run.json"])
    assert summary_without_timings(summary) == summary_without_timings(read_summary(local))
    assert summary["ok"] == DOCUMENTS
    assert err.splitlines()[:-1] == local_err.splitlines()[:-1]
    assert f"{url}/run.json" in err.splitlines()[-1]
    assert (local / "run.json").as_posix() not in err
    if output_format == "jsonl":
        assert not any(name.startswith(JOURNAL_NAME) for name in written)


def test_a_bad_document_is_reported_and_the_rest_written(corpus: Path, memory_out: str) -> None:
    summary = run_batch(plan_jobs([corpus]), PIPELINE, Settings(memory_out))
    bad = (corpus / BAD_NAME).as_posix()
    assert [(item.display, item.error) for item in summary.failures] == [(bad, BAD_REASON)]
    records = [name for name in memory_files(memory_out) if name.endswith(".json")]
    assert len(records) == summary.ok == DOCUMENTS
    assert "bad.json" not in records


@pytest.mark.parametrize("kind", ["memory", "objtest"])
@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_long_documents_written_in_chunks_reach_the_store_whole(
    kind: str,
    output_format: str,
    corpus: Path,
    memory_out: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Records written while their chunks are processed, and jsonl lines spilled to the
    store for the journal, give the bytes of a local run and leave no spilled file."""
    monkeypatch.setattr(chunking, "CHUNK_CHARS", 12)  # every document is a long one
    spilled: list[str] = []
    spill = FsspecStore.spill

    def noted_spill(store: FsspecStore, name: str, write: Any) -> str:
        spilled.append(name)
        return spill(store, name, write)

    monkeypatch.setattr(FsspecStore, "spill", noted_spill)
    url, folder = url_output(kind, tmp_path, memory_out)
    local = tmp_path / "local"
    local.mkdir()
    settings = {"output_format": output_format}
    run_batch(plan_jobs([corpus]), PIPELINE, Settings(local, **settings))  # type: ignore[arg-type]
    summary = run_batch(plan_jobs([corpus]), PIPELINE, Settings(url, **settings))  # type: ignore[arg-type]
    assert summary.ok == DOCUMENTS
    assert files_at(url, folder) == output_files(local)
    assert len(spilled) == (DOCUMENTS if output_format == "jsonl" else 0)


# ---------------------------------------------------------------- resume


@pytest.mark.parametrize("kind", ["memory", "objtest"])
def test_resume_skips_current_records_and_redoes_changed_ones(
    kind: str, corpus: Path, memory_out: str, tmp_path: Path
) -> None:
    url, folder = url_output(kind, tmp_path, memory_out)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number in range(5):
        (inputs / f"doc{number:02d}.txt").write_text(generated_text(number), encoding="utf-8")
    run_batch(plan_jobs([inputs]), PIPELINE, Settings(url))
    first = files_at(url, folder)
    (inputs / "doc03.txt").write_text(generated_text(99), encoding="utf-8")
    summary = run_batch(plan_jobs([inputs]), PIPELINE, Settings(url, resume=True))
    assert [(Path(item.display).name, item.skipped) for item in summary.outcomes] == [
        ("doc00.txt", True),
        ("doc01.txt", True),
        ("doc02.txt", True),
        ("doc03.txt", False),  # changed input: processed again
        ("doc04.txt", True),
    ]
    fresh = tmp_path / "fresh"
    run_batch(plan_jobs([inputs]), PIPELINE, Settings(fresh))
    assert files_at(url, folder) == output_files(fresh)
    assert files_at(url, folder) != first


class InterruptAfter:
    """An on_outcome callback that stops the run (as Ctrl-C does) after `count` outcomes,
    noting how many journal parts the store holds after each outcome."""

    def __init__(self, count: int, url: str) -> None:
        self.count, self.url = count, url
        self.seen: list[Outcome] = []
        self.parts: list[int] = []

    def __call__(self, outcome: Outcome) -> None:
        self.seen.append(outcome)
        store = open_store(self.url)
        assert isinstance(store, FsspecStore)
        self.parts.append(len(store._journal_parts(JOURNAL_NAME)))
        if len(self.seen) == self.count:
            raise KeyboardInterrupt


def interrupted_jsonl_run(corpus: Path, url: str, count: int) -> InterruptAfter:
    interrupt = InterruptAfter(count, url)
    with pytest.raises(KeyboardInterrupt):
        run_batch(
            plan_jobs([corpus]),
            PIPELINE,
            Settings(url, output_format="jsonl"),
            on_outcome=interrupt,
        )
    return interrupt


@pytest.mark.parametrize("kind", ["memory", "objtest"])
def test_an_interrupted_jsonl_run_is_finished_by_resume(
    kind: str,
    corpus: Path,
    memory_out: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, folder = url_output(kind, tmp_path, memory_out)
    monkeypatch.setattr(output_store, "JOURNAL_SECONDS", 0.0)  # a part per record line
    interrupt = interrupted_jsonl_run(corpus, url, 5)
    assert interrupt.seen[0].error == BAD_REASON  # bad.txt comes first and has no line
    # Each line was in a part of its own before the next document was done.
    assert interrupt.parts == [0, 1, 2, 3, 4]
    assert json.loads(files_at(url, folder, keep_summary=True)["run.json"])["interrupted"]
    summary = run_batch(
        plan_jobs([corpus]), PIPELINE, Settings(url, output_format="jsonl", resume=True)
    )
    assert summary.skipped == 4
    local = tmp_path / "local"
    local.mkdir()
    run_batch(plan_jobs([corpus]), PIPELINE, Settings(local, output_format="jsonl"))
    assert files_at(url, folder) == output_files(local)  # the journal parts are gone


def test_journal_lines_wait_for_the_part_then_reach_it_on_an_interrupt(
    corpus: Path, memory_out: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_store, "JOURNAL_SECONDS", 3600.0)
    interrupt = interrupted_jsonl_run(corpus, memory_out, 4)
    assert interrupt.parts == [0, 0, 0, 0]  # nothing written while the run went on
    journal = memory_files(memory_out)
    assert list(journal) == [f"{JOURNAL_NAME}/000001.jsonl"]  # all three, once stopped
    lines = journal[f"{JOURNAL_NAME}/000001.jsonl"].decode("utf-8").splitlines()
    assert [json.loads(line)["source"]["path"] for line in lines] == [
        item.display
        for item in interrupt.seen[1:]  # the first, bad.txt, has no line
    ]


def test_a_run_without_resume_starts_the_journal_afresh(
    corpus: Path, memory_out: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_store, "JOURNAL_SECONDS", 0.0)
    interrupted_jsonl_run(corpus, memory_out, 3)
    again = interrupted_jsonl_run(corpus, memory_out, 2)
    assert again.parts == [0, 1]  # the earlier run's two parts were removed first
    assert not any(outcome.skipped for outcome in again.seen)
    resumed = run_batch(
        plan_jobs([corpus]), PIPELINE, Settings(memory_out, output_format="jsonl", resume=True)
    )
    assert resumed.skipped == 1


def test_journal_parts_continue_after_a_resume(memory_out: str) -> None:
    store = open_store(memory_out)

    def add(journal: JournalFile, line: bytes) -> None:
        journal.handle.write(line)
        journal.saved()

    with store.journal(JOURNAL_NAME, resume=False) as journal:
        add(journal, b'{"a":1}\n')
    with store.journal(JOURNAL_NAME, resume=True) as journal:
        add(journal, b'{"a":2}\n')
        add(journal, b'{"a":3}\n')
    assert list(memory_files(memory_out)) == [
        f"{JOURNAL_NAME}/000001.jsonl",
        f"{JOURNAL_NAME}/000002.jsonl",
    ]
    assert journal_text(store) == '{"a":1}\n{"a":2}\n{"a":3}\n'
    store.remove_journal(JOURNAL_NAME)
    assert store.journal_files(JOURNAL_NAME) == []
    assert memory_files(memory_out) == {}


def journal_text(store: output_store.OutputStore) -> str:
    texts = []
    for name in store.journal_files(JOURNAL_NAME):
        with store.open_read(name) as handle:
            assert handle is not None
            texts.append(handle.read().decode("utf-8"))
    return "".join(texts)


# ---------------------------------------------------------------- large files, buckets, spills


def test_large_files_are_streamed_from_their_staging_file(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over UPLOAD_FROM_MEMORY_BYTES goes by put_file from its local staging file
    (never whole in memory) and arrives with a local run's bytes."""
    streamed: list[str] = []
    put_file = object_store_fs.ObjectStoreFileSystem.put_file

    def noted_put_file(filesystem: Any, lpath: str, rpath: str, **kwargs: Any) -> None:
        streamed.append(Path(rpath).name)
        put_file(filesystem, lpath, rpath, **kwargs)

    monkeypatch.setattr(object_store_fs.ObjectStoreFileSystem, "put_file", noted_put_file)
    url, folder = url_output("objtest", tmp_path, "")
    local = tmp_path / "local"
    local.mkdir()
    run_batch(plan_jobs([corpus]), PIPELINE, Settings(local))
    run_batch(plan_jobs([corpus]), PIPELINE, Settings(url))
    assert streamed == []  # small files: uploaded from memory
    monkeypatch.setattr(output_store, "UPLOAD_FROM_MEMORY_BYTES", 0)
    run_batch(plan_jobs([corpus]), PIPELINE, Settings(url))
    assert sorted(streamed) == sorted(Path(name).name for name in output_files(local, True))
    assert files_at(url, folder) == output_files(local)


def test_a_missing_bucket_is_an_error_and_is_never_created(
    corpus: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(object_store_fs.BucketFileSystem, "buckets", tmp_path)
    (tmp_path / "bucket").mkdir()
    mistyped = f"{object_store_fs.BUCKET_PROTOCOL}://{tmp_path.as_posix()}/bukcet/out"
    code, _, err = run_cli(capsys, "run", corpus, "-o", mistyped, "--pipeline", PIPELINE)
    assert code == 2
    assert "no bucket" in err and "buckets are not created" in err
    with pytest.raises(FileNotFoundError):  # a bucket gone in the middle of a run
        FsspecStore(mistyped).write("doc.json", "{}")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bucket"]
    url = f"{object_store_fs.BUCKET_PROTOCOL}://{tmp_path.as_posix()}/bucket/out"
    code, _, _ = run_cli(capsys, "run", corpus, "-o", url, "--pipeline", PIPELINE)
    assert code == 1  # the bad document
    written = output_files(tmp_path / "bucket" / "out")
    assert len([name for name in written if name.endswith(".json")]) == DOCUMENTS


@pytest.mark.parametrize("kind", ["memory", "objtest"])
def test_lines_spilled_for_a_killed_client_are_removed(
    kind: str, memory_out: str, tmp_path: Path
) -> None:
    url, folder = url_output(kind, tmp_path, memory_out)
    store = open_store(url)
    left_behind = [".doc03.json.0a1b2c3d.line.tmp", ".doc04.json.5e6f7a8b.line.tmp"]
    kept = [".notes.tmp", "doc03.json", "sub/.doc05.json.0a1b2c3d.line.tmp"]
    for name in left_behind + kept:
        store.write(name, "{}")
    store.remove_stale_temporaries()
    assert sorted(files_at(url, folder)) == sorted(kept)
    store.remove_stale_temporaries()  # nothing left to remove


# ---------------------------------------------------------------- stores and usage errors


def test_paths_and_file_urls_are_local_stores(tmp_path: Path) -> None:
    assert output_location(tmp_path.as_uri()) == tmp_path
    assert output_location("out") == Path("out")
    assert isinstance(open_store(tmp_path.as_uri()), LocalStore)
    assert isinstance(open_store(tmp_path), LocalStore)
    assert output_location("memory://x/out") == "memory://x/out"
    assert isinstance(open_store("memory://x/out"), FsspecStore)


def test_the_object_store_refuses_rename_and_append(tmp_path: Path) -> None:
    filesystem = fsspec.filesystem(object_store_fs.PROTOCOL)
    target = f"{tmp_path.as_posix()}/a.json"
    filesystem.pipe_file(target, b"{}")
    with pytest.raises(PermissionError):
        filesystem.mv(target, f"{tmp_path.as_posix()}/b.json")
    with pytest.raises(PermissionError), filesystem.open(target, "ab"):
        pass
    assert filesystem.cat_file(target) == b"{}"


def test_usage_errors(
    corpus: Path, memory_out: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "run", corpus, "-o", memory_out, "--jobs", "2")
    assert code == 2 and "lives in this process's memory" in err
    code, _, err = run_cli(capsys, "run", corpus, "-o", "nosuchprotocol://bucket/out")
    assert code == 2 and "cannot write to 'nosuchprotocol://bucket/out'" in err
    assert memory_files(memory_out) == {}
    if importlib.util.find_spec("s3fs") is None:  # the s3 extra is optional
        code, _, err = run_cli(capsys, "run", corpus, "-o", "s3://bucket/out")
        assert code == 2 and "pip install 'zhextract[s3]'" in err
    with pytest.raises(ValueError, match="use one worker"):
        run_batch(plan_jobs([corpus]), PIPELINE, Settings(memory_out), workers=2)
