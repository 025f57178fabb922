"""`zhextract run --engine dask`: the same bytes as the local engine on a local cluster of two
worker processes, with a worker killed mid-run, after the client was killed (--resume), from
memory:// inputs, into an object store (objtest://: no rename, no append), with a bad
document; partitions by bytes; URL inputs; the bag API."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")
fsspec = pytest.importorskip("fsspec", reason="the dask extra is not installed")

import cloudpickle  # noqa: E402
import dask  # noqa: E402
import dask.bag  # noqa: E402
import object_store_fs  # noqa: E402
from distributed import Client, LocalCluster, Worker, WorkerPlugin  # noqa: E402
from test_batch import output_files, read_summary  # noqa: E402
from test_cli import error_lines, run_cli  # noqa: E402

from zhextract import dask_engine  # noqa: E402
from zhextract.batch import Job, Settings, plan_jobs, run_batch  # noqa: E402
from zhextract.dask_engine import (  # noqa: E402
    DaskEngine,
    extract_bag,
    partitions,
    plan_inputs,
    write_records,
)
from zhextract.doc import Doc  # noqa: E402
from zhextract.pipeline import load  # noqa: E402
from zhextract.registry import Stage, register_stage  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TESTS = str(REPO / "tests")
PIPELINE = "fast"  # the quickest to load in each worker
DOCUMENTS = 300
PARTITION_BYTES = 1500  # about ten documents: some thirty tasks per run
BAD_NAME = "bad.txt"
BAD_REASON = "binary file (not text): contains NUL bytes"
TIMINGS = ("seconds", "chars_per_second")
AGENCIES = ["行政院", "經濟部", "中央銀行", "國家發展委員會", "衛生福利部", "臺北市政府"]
VERBS = ["宣布", "表示", "指出", "公布"]
ITEMS = ["總預算", "出口", "外銷訂單", "觀光收入", "研發經費"]


def generated_text(number: int) -> str:
    """A short news paragraph, one to four sentences, different for every number."""
    sentences = []
    for part in range(number % 4 + 1):
        agency = AGENCIES[(number + part) % len(AGENCIES)]
        verb = VERBS[(number * 3 + part) % len(VERBS)]
        item = ITEMS[(number + 2 * part) % len(ITEMS)]
        sentences.append(
            f"{agency}{number % 28 + 1}日{verb}，{item}增加{number + part}億元，"
            f"成長{number % 17}.{part}%。"
        )
    return "".join(sentences) + "\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "docs"
    for number in range(DOCUMENTS):
        path = root / f"group{number % 7}" / f"doc{number:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated_text(number), encoding="utf-8")
    (root / BAD_NAME).write_bytes(b"\x00\x01\x02 not text")
    return root


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with dask_engine.local_cluster(2, dashboard=False) as two_workers:
        yield two_workers


class RegisterObjectStore(WorkerPlugin):
    """Makes objtest:// (tests/object_store_fs.py) known in each worker process, including
    those started later to replace a killed one."""

    def setup(self, worker: object) -> None:
        if TESTS not in sys.path:
            sys.path.insert(0, TESTS)
        import object_store_fs

        object_store_fs.register()


@pytest.fixture(scope="module")
def client(cluster: LocalCluster) -> Iterator[Client]:
    object_store_fs.register()
    with Client(cluster) as connected:
        connected.register_plugin(RegisterObjectStore())
        connected.run(dask_engine.worker_pipeline, PIPELINE)  # each worker loads it once here
        yield connected


@pytest.fixture(scope="module")
def local_runs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The local engine's output folder for each format."""
    folders = {}
    for output_format in ("json", "jsonl"):
        outdir = tmp_path_factory.mktemp(f"local-{output_format}")
        settings = Settings(outdir, output_format=output_format)
        run_batch(plan_jobs([corpus]), PIPELINE, settings)
        folders[output_format] = outdir
    return folders


@pytest.fixture
def small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_engine, "PARTITION_BYTES", PARTITION_BYTES)


def summary_without_timings(outdir: Path) -> dict:
    summary = read_summary(outdir)
    assert all(summary[name] is not None for name in TIMINGS)
    return {name: value for name, value in summary.items() if name not in TIMINGS}


def progress_lines(err: str) -> list[str]:
    """stderr without the cluster's address line and the totals line (it holds timings)."""
    return [line for line in err.splitlines()[:-1] if not line.startswith("dask: ")]


# ---------------------------------------------------------------- the same output


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_same_bytes_progress_and_summary_as_the_local_engine(
    output_format: str,
    corpus: Path,
    cluster: LocalCluster,
    client: Client,
    local_runs: dict[str, Path],
    small_partitions: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    local_out, dask_out = tmp_path / "local", tmp_path / "dask"
    common = ["--pipeline", PIPELINE, "--format", output_format]
    local_code, _, local_err = run_cli(capsys, "run", corpus, "-o", local_out, *common)
    code, _, err = run_cli(
        capsys,
        "run",
        corpus,
        "-o",
        dask_out,
        *common,
        "--engine",
        "dask",
        "--scheduler",
        cluster.scheduler_address,
    )
    assert code == local_code == 1  # the bad document
    assert err.splitlines()[0].startswith(f"dask: scheduler {cluster.scheduler_address}, ")
    assert output_files(dask_out) == output_files(local_out)
    assert summary_without_timings(dask_out) == summary_without_timings(local_out)
    assert progress_lines(err) == progress_lines(local_err)
    assert len(progress_lines(err)) == DOCUMENTS + 2  # a line per document, one error line


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_object_store_output_has_the_bytes_of_the_local_engine(
    output_format: str,
    corpus: Path,
    cluster: LocalCluster,
    client: Client,
    local_runs: dict[str, Path],
    small_partitions: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Records written by the workers into objtest://, whose files are written whole and
    never renamed or appended to, as on S3."""
    url = object_store_fs.url(tmp_path / "bucket" / "out")
    options = ["--pipeline", PIPELINE, "--format", output_format, "--engine", "dask"]
    code, _, err = run_cli(
        capsys, "run", corpus, "-o", url, *options, "--scheduler", cluster.scheduler_address
    )
    assert code == 1
    assert error_lines(err) == [f"error: {(corpus / BAD_NAME).as_posix()}: {BAD_REASON}"]
    written = tmp_path / "bucket" / "out"
    assert output_files(written) == output_files(local_runs[output_format])
    local_summary = summary_without_timings(local_runs[output_format])
    assert summary_without_timings(written) == local_summary
    assert f"{url}/run.json" in err.splitlines()[-1]


def test_a_bad_document_is_reported_and_the_rest_written(
    corpus: Path, client: Client, small_partitions: None, tmp_path: Path
) -> None:
    jobs = plan_jobs([corpus])
    summary = run_batch(jobs, PIPELINE, Settings(tmp_path), engine=DaskEngine(client))
    bad = (corpus / BAD_NAME).as_posix()
    assert [(item.display, item.error) for item in summary.failures] == [(bad, BAD_REASON)]
    assert summary.ok == DOCUMENTS
    written = sorted(path for path in tmp_path.rglob("*.json") if path.name != "run.json")
    assert len(written) == DOCUMENTS
    assert not (tmp_path / "bad.json").exists()


# ---------------------------------------------------------------- faults


def wait_for_new_worker(client: Client, killed_pid: int, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = client.run(os.getpid, on_error="ignore").values()
        if len(pids) == 2 and killed_pid not in pids:
            return True
        time.sleep(0.2)
    return False


def test_a_worker_killed_mid_run_loses_nothing(
    corpus: Path, client: Client, local_runs: dict[str, Path], tmp_path: Path
) -> None:
    pids = sorted(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_a_worker_once(outcome: object) -> None:
        if not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    jobs = plan_jobs([corpus])
    engine = DaskEngine(client, partition_bytes=PARTITION_BYTES)
    summary = run_batch(
        jobs, PIPELINE, Settings(tmp_path), engine=engine, on_outcome=kill_a_worker_once
    )
    assert killed == [pids[0]]
    assert wait_for_new_worker(client, pids[0])  # the nanny starts another worker process
    assert summary.ok == DOCUMENTS and len(summary.failures) == 1
    assert output_files(tmp_path) == output_files(local_runs["json"])


# Runs `zhextract run` with small partitions and kills its own process (SIGKILL) once
# {kill_after} documents are done; objtest:// is known, and each jsonl line is written to
# the object store's journal at once.
CLIENT_KILLED_AFTER = """
import os, signal, sys
sys.path.insert(0, {tests!r})
import object_store_fs
from zhextract import cli, dask_engine, output_store, progress
object_store_fs.register()
output_store.JOURNAL_SECONDS = 0
dask_engine.PARTITION_BYTES = {partition_bytes}
record_outcome = progress.Progress.__call__
def record_then_die(self, outcome):
    record_outcome(self, outcome)
    if self.done == {kill_after}:
        os.kill(os.getpid(), signal.SIGKILL)
progress.Progress.__call__ = record_then_die
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    ("output_format", "store"),
    [("json", "folder"), ("jsonl", "folder"), ("json", "objtest"), ("jsonl", "objtest")],
)
def test_a_killed_client_is_finished_by_resume(
    output_format: str,
    store: str,
    corpus: Path,
    cluster: LocalCluster,
    client: Client,
    local_runs: dict[str, Path],
    small_partitions: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kill_after = DOCUMENTS // 3
    options = ["--pipeline", PIPELINE, "--format", output_format, "--engine", "dask"]
    options += ["--scheduler", cluster.scheduler_address]
    outdir = str(tmp_path) if store == "folder" else object_store_fs.url(tmp_path)
    script = CLIENT_KILLED_AFTER.format(
        kill_after=kill_after, partition_bytes=PARTITION_BYTES, tests=TESTS
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, "run", str(corpus), "-o", outdir, *options],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not (tmp_path / "run.json").exists()
    if output_format == "jsonl" and store == "objtest":
        parts = list((tmp_path / "records.jsonl.partial").iterdir())
        assert len(parts) >= kill_after - 1  # a part per line: the bad document has none
    code, _, err = run_cli(capsys, "run", corpus, "-o", outdir, *options, "--resume")
    assert code == 1 and error_lines(err) == [
        f"error: {(corpus / BAD_NAME).as_posix()}: {BAD_REASON}"
    ]
    summary = read_summary(tmp_path)
    assert kill_after - 1 <= summary["skipped"] < DOCUMENTS  # done before the kill, not redone
    assert summary["documents"] == DOCUMENTS + 1
    assert output_files(tmp_path) == output_files(local_runs[output_format])


# ---------------------------------------------------------------- fsspec inputs and outputs


@pytest.fixture
def memory_corpus(corpus: Path) -> Iterator[str]:
    """The corpus copied to memory://zhextract-test/docs."""
    memory = fsspec.filesystem("memory")
    for path in corpus.rglob("*"):
        if path.is_file():
            memory.pipe_file(
                f"/zhextract-test/docs/{path.relative_to(corpus).as_posix()}", path.read_bytes()
            )
    yield "memory://zhextract-test/docs"
    memory.rm("/zhextract-test", recursive=True)


@pytest.mark.parametrize("protocol", ["memory", "file"])
def test_url_inputs_written_through_a_file_url(
    protocol: str,
    memory_corpus: str,
    corpus: Path,
    cluster: LocalCluster,
    client: Client,
    local_runs: dict[str, Path],
    small_partitions: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """memory:// files are read by the client, file:// ones by the workers."""
    url = memory_corpus if protocol == "memory" else corpus.as_uri()
    options = ["--pipeline", PIPELINE, "--engine", "dask", "--scheduler", cluster.scheduler_address]
    code, _, err = run_cli(capsys, "run", url, "-o", tmp_path.as_uri(), *options)
    assert code == 1
    assert error_lines(err) == [f"error: {url}/{BAD_NAME}: {BAD_REASON}"]
    written = output_files(tmp_path)
    expected = output_files(local_runs["json"])
    assert written.keys() == expected.keys()
    for name, content in written.items():
        record, local_record = json.loads(content), json.loads(expected[name])
        assert record["source"]["path"] == f"{url}/{Path(name).with_suffix('.txt').as_posix()}"
        local_record["source"]["path"] = record["source"]["path"]
        assert record == local_record


def test_an_unreadable_url_fails_as_an_unreadable_local_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    jobs = [
        Job(missing, missing.as_posix(), PurePosixPath("a.json")),
        Job(Path(missing.as_uri()), missing.as_uri(), PurePosixPath("b.json")),
        Job(
            Path(f"{tmp_path.as_uri()}/x.txt"),
            f"{tmp_path.as_uri()}/x.txt",
            PurePosixPath("c.json"),
        ),
    ]
    (tmp_path / "x.txt").write_text(generated_text(1), encoding="utf-8")
    outcomes = dask_engine.process_partition(jobs, PIPELINE, Settings(tmp_path), [None] * 3)
    assert [outcome.error for outcome in outcomes] == [
        "cannot read file: No such file or directory",
        "cannot read file: No such file or directory",
        None,
    ]
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["text"].startswith(
        generated_text(1).strip()
    )


def test_url_inputs_are_planned_as_local_ones(memory_corpus: str, corpus: Path) -> None:
    memory = fsspec.filesystem("memory")
    memory.pipe_file("/zhextract-test/docs/.hidden/x.txt", b"x")
    memory.pipe_file("/zhextract-test/docs/notes.pptx", b"x")
    jobs = plan_inputs([memory_corpus])
    local = plan_jobs([corpus])
    assert [job.output for job in jobs] == [job.output for job in local]
    assert [job.size for job in jobs] == [job.size for job in local]
    assert jobs[0].display == f"{memory_corpus}/{local[0].path.relative_to(corpus).as_posix()}"
    assert all(job.data is not None for job in jobs)  # memory:// is read by the client


def test_url_patterns_missing_files_and_unsupported_types(memory_corpus: str) -> None:
    jobs = plan_inputs([f"{memory_corpus}/group1/*.txt", f"{memory_corpus}/nothing.txt"])
    assert [job.output.as_posix() for job in jobs[:2]] == ["doc001.json", "doc008.json"]
    assert jobs[-1].error == "no such file or directory"
    assert plan_inputs([f"{memory_corpus}/*.pdf"])[0].error == "no input files match this pattern"
    fsspec.filesystem("memory").pipe_file("/zhextract-test/docs/a.pptx", b"x")
    assert "pptx" in str(plan_inputs([f"{memory_corpus}/a.pptx"])[0].error)


def test_output_folders_are_folders_or_urls_workers_can_reach(tmp_path: Path) -> None:
    assert dask_engine.output_folder(tmp_path.as_uri()) == tmp_path
    assert dask_engine.output_folder("out") == Path("out")
    url = object_store_fs.url(tmp_path)
    assert dask_engine.output_folder(url) == url
    with pytest.raises(ValueError, match="Dask workers cannot see"):
        dask_engine.output_folder("memory://somewhere/out")


def test_the_engine_refuses_output_in_the_clients_memory(corpus: Path, client: Client) -> None:
    engine = DaskEngine(client)
    with pytest.raises(ValueError, match="Dask workers cannot see"):
        next(engine(plan_jobs([corpus]), PIPELINE, Settings("memory://zhextract-test/out"), {}))


def test_usage_errors(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "run", corpus, "-o", tmp_path, "--scheduler", "tcp://x:8786")
    assert code == 2 and "--scheduler needs --engine dask" in err
    code, _, err = run_cli(capsys, "run", corpus, "-o", "memory://out", "--engine", "dask")
    assert code == 2 and "'memory://out' lives in this process's memory" in err
    code, _, err = run_cli(capsys, "run", corpus, "-o", tmp_path, "--engine", "dask", "--jobs", "2")
    assert code == 2 and "--jobs is for the local engine" in err
    assert not list(tmp_path.iterdir())


def test_date_and_user_dictionary_keep_their_meaning(
    corpus: Path,
    cluster: LocalCluster,
    client: Client,
    small_partitions: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    words = tmp_path / "words.txt"
    words.write_text("外銷訂單 100 n\n觀光收入 100 n\n", encoding="utf-8")
    inputs = corpus / "group0"
    options = ["--pipeline", PIPELINE, "--date", "2024-05-06", "--user-dict", words]
    run_cli(capsys, "run", inputs, "-o", tmp_path / "local", *options)
    dask_options = ["--engine", "dask", "--scheduler", cluster.scheduler_address]
    code, _, _ = run_cli(capsys, "run", inputs, "-o", tmp_path / "dask", *options, *dask_options)
    assert code == 0
    records = output_files(tmp_path / "dask")
    assert records == output_files(tmp_path / "local")
    first = json.loads(next(iter(records.values())))
    assert first["doc_date"] == "2024-05-06"
    assert first["pipeline"] != {"name": PIPELINE, "version": load(PIPELINE).version}


# ---------------------------------------------------------------- partitions


def sized_jobs(*sizes: int) -> list[Job]:
    return [
        Job(Path(f"{n}.txt"), f"{n}.txt", PurePosixPath(f"{n}.json"), size=size)
        for n, size in enumerate(sizes)
    ]


def test_partitions_hold_up_to_a_number_of_bytes_in_order() -> None:
    jobs = sized_jobs(400, 400, 300, 900, 100, 100, 5000, 10, 10)
    groups = partitions(jobs, 1000)
    assert [[job.size for job in group] for group in groups] == [
        [400, 400],
        [300],
        [900, 100],
        [100],
        [5000],  # larger than a partition: alone
        [10, 10],
    ]
    assert [job for group in groups for job in group] == jobs


def test_many_small_documents_share_a_partition() -> None:
    assert len(partitions(sized_jobs(*[10] * 100), 1000)) == 1
    assert len(partitions(sized_jobs(*[10] * 100), 10)) == 100


# ---------------------------------------------------------------- bag API


def test_extract_bag_maps_the_pipeline_over_texts_and_paths(
    corpus: Path, client: Client, tmp_path: Path
) -> None:
    texts = [generated_text(number) for number in range(12)]
    pipeline = load(PIPELINE)
    records = extract_bag(dask.bag.from_sequence(texts, npartitions=3), PIPELINE).compute()
    assert records == [pipeline(text) for text in texts]
    paths = sorted(str(path) for path in corpus.rglob("doc00*.txt"))
    from_paths = extract_bag(dask.bag.from_sequence(paths, npartitions=2), PIPELINE, paths=True)
    assert [record["source"]["path"] for record in from_paths.compute()] == paths
    written = write_records(from_paths, tmp_path.as_uri())
    assert [Path(name).name for name in written] == ["part-00000.jsonl", "part-00001.jsonl"]
    lines = [
        json.loads(line)
        for name in ("part-00000.jsonl", "part-00001.jsonl")
        for line in (tmp_path / name).read_text(encoding="utf-8").splitlines()
    ]
    assert lines == from_paths.compute()
    assert not list(tmp_path.glob(".*"))  # no temporary files left


def test_extract_bag_raises_for_a_bad_document(corpus: Path, client: Client) -> None:
    bag = dask.bag.from_sequence([str(corpus / BAD_NAME)])
    with pytest.raises(ValueError, match="contains NUL bytes"):
        extract_bag(bag, PIPELINE, paths=True).compute()


def test_local_workers_run_without_dask_memory_trimming(client: Client) -> None:
    if "MALLOC_TRIM_THRESHOLD_" in os.environ:
        pytest.skip("MALLOC_TRIM_THRESHOLD_ is set for this process, and so for its workers")
    values = client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()
    assert list(values) == [None, None]


def test_local_workers_run_without_the_statistical_profiler(client: Client) -> None:
    """Also a worker that replaced a killed one (earlier tests kill some)."""

    def profiling(dask_worker: Worker) -> bool:
        return "profile" in dask_worker.periodic_callbacks

    assert list(client.run(profiling).values()) == [False, False]


def test_the_worker_configuration_holds_while_the_cluster_is_open() -> None:
    setting = "distributed.worker.profile.enabled"
    before = dask.config.get(setting)  # False while the module's cluster is open
    with dask_engine.local_cluster(1):
        assert dask.config.get(setting) is False
    assert dask.config.get(setting) is before


POISON_NAME = "poison.txt"


class KillOnPoison(WorkerPlugin):
    """Makes a worker process exit at once when it reaches a document named POISON_NAME,
    as a crash in a native library or the out-of-memory killer would."""

    def setup(self, worker: object) -> None:
        original = dask_engine.process_job

        def process_or_die(job: Job, *args: object, **kwargs: object) -> object:
            if job.display.endswith(POISON_NAME):
                os._exit(1)
            return original(job, *args, **kwargs)  # type: ignore[arg-type]

        dask_engine.process_job = process_or_die  # type: ignore[assignment]


cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/


def test_a_document_that_kills_its_worker_fails_alone(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(8):
        name = POISON_NAME if number == 3 else f"doc{number}.txt"
        (folder / name).write_text(generated_text(number), encoding="utf-8")
    jobs = plan_jobs([folder])
    assert len(partitions(jobs)) == 1
    # Dask gives up on a task the first time its worker dies (three times by default).
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        dask_engine.local_cluster(1) as one_worker,
        Client(one_worker) as client,
    ):
        client.register_plugin(KillOnPoison())
        summary = run_batch(jobs, PIPELINE, Settings(tmp_path / "out"), engine=DaskEngine(client))
    poison = (folder / POISON_NAME).as_posix()
    assert [(item.display, item.error) for item in summary.failures] == [
        (poison, dask_engine.WORKER_DIED)
    ]
    assert summary.ok == 7
    assert len(list((tmp_path / "out").glob("doc*.json"))) == 7


SPIN_MARK = "SPIN"


def register_spin_stage() -> None:
    """The stage `test_spin`: runs Python far past any test's time limit on documents
    holding SPIN_MARK (a bounded spin, so a missing limit fails the test, not hangs it)."""

    @register_stage("test_spin", requires=("text",), provides=())
    def make_spin_stage() -> Stage:
        def spin(doc: Doc) -> None:
            end = time.monotonic() + 60
            while SPIN_MARK in doc.text and time.monotonic() < end:
                pass

        return spin


STUCK_MARK = "STUCK"


def register_stuck_stage() -> None:
    """The stage `test_stuck`: on documents holding STUCK_MARK, one regular-expression match
    that backtracks for about a minute inside C code, deaf to the timer thread."""

    @register_stage("test_stuck", requires=("text",), provides=())
    def make_stuck_stage() -> Stage:
        def stuck(doc: Doc) -> None:
            if STUCK_MARK in doc.text:
                re.fullmatch(r"(a|aa)*c", "a" * 42)

        return stuck


class RegisterSpinStage(WorkerPlugin):
    def setup(self, worker: object) -> None:
        register_spin_stage()
        register_stuck_stage()


def spin_pipeline(folder: Path, stage: str = "spin") -> Path:
    config = folder / f"{stage}.cfg"
    config.write_text(
        f'[pipeline]\nname = "{stage}"\nversion = "1"\nstages = ["normalize", "{stage}"]\n\n'
        '[stages]\n\n[stages.normalize]\nfactory = "normalize"\n\n'
        f'[stages.{stage}]\nfactory = "test_{stage}"\n',
        encoding="utf-8",
    )
    return config


def test_a_runaway_document_times_out_on_a_worker_as_locally(
    cluster: LocalCluster, client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--timeout applies in Dask's worker threads: the same error as locally, the other
    documents written, no worker process lost, the hard CPU limit put back."""
    register_spin_stage()
    client.register_plugin(RegisterSpinStage())
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(6):
        text = generated_text(number) + (SPIN_MARK if number == 2 else "")
        (folder / f"doc{number}.txt").write_text(text, encoding="utf-8")
    pids = client.run(os.getpid)
    cpu_limits = client.run(resource.getrlimit, resource.RLIMIT_CPU)
    options = ["--pipeline", spin_pipeline(tmp_path), "--timeout", "0.5"]
    local_code, _, local_err = run_cli(capsys, "run", folder, "-o", tmp_path / "local", *options)
    dask_options = ["--engine", "dask", "--scheduler", cluster.scheduler_address]
    code, _, err = run_cli(capsys, "run", folder, "-o", tmp_path / "dask", *options, *dask_options)
    expected = [f"error: {(folder / 'doc2.txt').as_posix()}: took longer than 0.5 s"]
    assert error_lines(err) == error_lines(local_err) == expected
    assert code == local_code == 1
    assert output_files(tmp_path / "dask") == output_files(tmp_path / "local")
    assert sorted(output_files(tmp_path / "dask")) == [f"doc{n}.json" for n in (0, 1, 3, 4, 5)]
    assert client.run(os.getpid) == pids
    assert client.run(resource.getrlimit, resource.RLIMIT_CPU) == cpu_limits
    # The worker that ran the partition is under a nanny, which restarts it if the kernel
    # ends it over the hard limit; this process, which has no nanny, gets no hard limit.
    assert True in client.run(hard_limits_enabled).values()
    dask_engine._limit_cpu_under_a_nanny()
    assert not hard_limits_enabled()


def test_a_document_deaf_to_the_timeout_ends_its_worker_not_the_run(tmp_path: Path) -> None:
    """Past three times the timeout of CPU time the kernel ends the worker process; its
    nanny starts another, and only that document fails."""
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(5):
        text = generated_text(number) + (STUCK_MARK if number == 1 else "")
        (folder / f"doc{number}.txt").write_text(text, encoding="utf-8")
    jobs = plan_jobs([folder])
    settings = Settings(tmp_path / "out", timeout=0.3)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        dask_engine.local_cluster(1) as one_worker,
        Client(one_worker) as client,
    ):
        client.register_plugin(RegisterSpinStage())
        pipeline = str(spin_pipeline(tmp_path, "stuck"))
        summary = run_batch(jobs, pipeline, settings, engine=DaskEngine(client))
    stuck = (folder / "doc1.txt").as_posix()
    assert [(item.display, item.error) for item in summary.failures] == [
        (stuck, dask_engine.WORKER_DIED)
    ]
    assert sorted(path.name for path in (tmp_path / "out").glob("doc*.json")) == [
        f"doc{n}.json" for n in (0, 2, 3, 4)
    ]


def hard_limits_enabled() -> bool:
    from zhextract import watchdog

    return watchdog._hard_limits


def test_the_dashboard_link_is_printed_only_when_there_is_a_dashboard(client: Client) -> None:
    with_dashboard, without = io.StringIO(), io.StringIO()
    dask_engine._announce(client, with_dashboard, dashboard=True)
    dask_engine._announce(client, without, dashboard=False)
    address = client.scheduler_info()["address"]
    assert without.getvalue() == f"dask: scheduler {address}, 2 workers\n"
    assert with_dashboard.getvalue() == (
        f"dask: scheduler {address}, 2 workers, dashboard {client.dashboard_link}\n"
    )
    assert client.dashboard_link.startswith("http")
