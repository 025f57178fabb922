"""`zhextract run` and `zhextract show`: outputs, errors, exit codes, determinism."""

from __future__ import annotations

import codecs
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhextract.batch import plan_jobs, write_atomically
from zhextract.cli import main
from zhextract.record import offset_errors, validate
from zhextract.show import marked_text, marks

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "src" / "zhextract" / "schemas" / "record.schema.json"

# Documents written for these tests.
NEWS = "行政院今天宣布，明年度總預算增加五百億元。\n\n經濟部表示，1月出口成長12.5%。\n"
NOTE = "# 會議紀錄\n\n外交部長與美國官員會面，雙方同意加強合作。\n"
OTHER = "中央銀行宣布升息半碼，利率調整為2.125%。\n"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error: ")]


def totals_line(err: str) -> str:
    return err.splitlines()[-1]


def output_files(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file()
    }


def records(outdir: Path) -> dict[str, dict]:
    return {
        name: json.loads(content)
        for name, content in output_files(outdir).items()
        if name != "run.json"
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "a" / "deeper").mkdir(parents=True)
    (root / "a" / "news.txt").write_text(NEWS, encoding="utf-8")
    (root / "a" / "deeper" / "note.md").write_text(NOTE, encoding="utf-8")
    (root / "other.txt").write_text(OTHER, encoding="utf-8")
    (root / "a" / "slides.pptx").write_bytes(b"PK\x03\x04 not walked")
    (root / "a" / "data.json").write_text("{}", encoding="utf-8")
    return root


def test_run_on_a_folder(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outdir = tmp_path / "out"
    code, out, err = run_cli(capsys, "run", corpus, "-o", outdir, "--date", "2025-03-01")
    assert (code, out) == (0, "")
    assert err.splitlines()[:-1] == [
        f"[1/3] {(corpus / 'a' / 'deeper' / 'note.md').as_posix()}: ok",
        f"[2/3] {(corpus / 'a' / 'news.txt').as_posix()}: ok",
        f"[3/3] {(corpus / 'other.txt').as_posix()}: ok",
    ]
    assert totals_line(err).startswith("3 documents: 3 ok, 0 failed, 0 skipped; ")
    assert totals_line(err).endswith(f"summary in {(outdir / 'run.json').as_posix()}")
    found = records(outdir)
    assert sorted(found) == ["a/deeper/note.json", "a/news.json", "other.json"]
    sources = {name: record["source"]["path"] for name, record in found.items()}
    assert sources == {
        "a/deeper/note.json": (corpus / "a" / "deeper" / "note.md").as_posix(),
        "a/news.json": (corpus / "a" / "news.txt").as_posix(),
        "other.json": (corpus / "other.txt").as_posix(),
    }
    for record in found.values():
        assert record["doc_date"] == "2025-03-01"
        assert record["source"]["encoding"] == "utf-8"
        assert offset_errors(record) == []
    assert "五百億元" in found["a/news.json"]["text"]
    summary = json.loads((outdir / "run.json").read_text(encoding="utf-8"))
    chars = len(NEWS) + len(NOTE) + len(OTHER)
    assert (summary["documents"], summary["ok"], summary["failed"], summary["chars"]) == (
        3,
        3,
        [],
        chars,
    )
    assert summary["seconds"] > 0
    assert summary["chars_per_second"] == round(chars / summary["seconds"], 1)


def test_records_validate_against_the_schema(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not SCHEMA.is_file():
        pytest.skip("schemas/record.schema.json is not written yet; schema check skipped")
    assert run_cli(capsys, "run", corpus, "-o", tmp_path / "out")[0] == 0
    for name, record in records(tmp_path / "out").items():
        assert validate(record) == [], name


def test_seed_document_through_the_cli(
    seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "seed.txt"
    data = seed_text.encode("big5")
    source.write_bytes(data)
    outdir = tmp_path / "out"
    assert run_cli(capsys, "run", source, "-o", outdir, "--date", "2025-02-12")[0] == 0
    record = json.loads((outdir / "seed.json").read_text(encoding="utf-8"))
    assert record["source"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert record["source"]["encoding"] in ("big5", "cp950")
    assert offset_errors(record) == []
    if SCHEMA.is_file():
        assert validate(record) == []


def test_a_named_file_goes_to_the_top(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = tmp_path / "out"
    code, _, _ = run_cli(capsys, "run", corpus / "a" / "deeper" / "note.md", "-o", outdir)
    assert code == 0
    assert sorted(output_files(outdir)) == ["note.json", "run.json"]


def test_output_names_never_clash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "x", tmp_path / "y"
    for folder in (first, second):
        folder.mkdir()
        (folder / "same.txt").write_text(f"{folder.name}：第一份文件。", encoding="utf-8")
    (first / "same.md").write_text("同名的 Markdown 文件。", encoding="utf-8")
    (first / "SAME.txt").write_text("大小寫不同的文件。", encoding="utf-8")
    (first / "run.txt").write_text("名稱與摘要檔相同。", encoding="utf-8")
    (first / "solo.txt").write_text("沒有同名的文件。", encoding="utf-8")
    outdir = tmp_path / "out"
    assert run_cli(capsys, "run", first, second, "-o", outdir)[0] == 0
    found = records(outdir)
    inputs = sorted(str(path.as_posix()) for path in [*first.iterdir(), *second.iterdir()])
    assert sorted(record["source"]["path"] for record in found.values()) == inputs
    assert len({name.casefold() for name in found}) == len(found) == 6
    assert "solo.json" in found
    summary = json.loads((outdir / "run.json").read_text(encoding="utf-8"))
    assert summary["documents"] == 6


def test_same_file_twice_is_processed_once(corpus: Path) -> None:
    jobs = plan_jobs([corpus, corpus / "other.txt"])
    assert [job.output.as_posix() for job in jobs] == [
        "a/deeper/note.json",
        "a/news.json",
        "other.json",
    ]


def test_bad_files_fail_alone(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "a" / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    unknown = tmp_path / "slides.pptx"
    unknown.write_bytes(b"PK\x03\x04")
    outdir = tmp_path / "out"
    code, out, err = run_cli(capsys, "run", corpus, unknown, tmp_path / "missing.txt", "-o", outdir)
    assert code == 1
    assert out == ""
    assert error_lines(err) == [
        f"error: {(corpus / 'a' / 'image.md').as_posix()}: binary file (not text): contains NUL bytes",
        f"error: {(corpus / 'empty.txt').as_posix()}: empty file",
        f"error: {unknown.as_posix()}: unsupported file type '.pptx' "
        "(expected .txt, .md, .html, .htm, .pdf, .docx, .odt)",
        f"error: {(tmp_path / 'missing.txt').as_posix()}: no such file or directory",
    ]
    assert "Traceback" not in err
    assert totals_line(err).startswith("7 documents: 3 ok, 4 failed, 0 skipped; ")
    summary = json.loads((outdir / "run.json").read_text(encoding="utf-8"))
    assert (summary["documents"], summary["ok"]) == (7, 3)
    assert [item["path"] for item in summary["failed"]] == [
        line.split(": ")[1] for line in error_lines(err)
    ]
    assert sorted(records(outdir)) == ["a/deeper/note.json", "a/news.json", "other.json"]


def test_legacy_and_wide_encodings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    big5_text = "立法院今天三讀通過預算案，總額為二兆八千億元。\n"
    utf16_text = "衛生福利部公布，上週新增確診病例一百二十例。\n"
    (folder / "big5.txt").write_bytes(big5_text.encode("big5"))
    (folder / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + utf16_text.encode("utf-16-le"))
    outdir = tmp_path / "out"
    assert run_cli(capsys, "run", folder, "-o", outdir)[0] == 0
    found = records(outdir)
    assert found["big5.json"]["source"]["encoding"] in ("big5", "cp950")
    assert found["big5.json"]["text"] == big5_text.strip()
    assert found["wide.json"]["source"]["encoding"] == "utf-16"
    assert found["wide.json"]["text"] == utf16_text.strip()


def ten_megabyte_line() -> str:
    """One line of about 10 MB of UTF-8: varied sentences full of figures, no line break."""
    parts: list[str] = []
    size = 0
    index = 0
    while size < 10 * 1024 * 1024:
        sentence = (
            f"第{index}次會議指出，臺北市去年投資{index % 997}億元，"
            f"出口成長{index % 89}.5%，約有{index % 50 + 1}萬人受惠。"
        )
        parts.append(sentence)
        size += len(sentence.encode())
        index += 1
    return "".join(parts)


def test_ten_megabyte_single_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ten_megabyte_line()
    assert "\n" not in text
    source = tmp_path / "big.txt"
    source.write_text(text, encoding="utf-8")
    outdir = tmp_path / "out"
    code, _, err = run_cli(capsys, "run", source, "-o", outdir)
    assert (code, error_lines(err)) == (0, [])
    record = json.loads((outdir / "big.json").read_text(encoding="utf-8"))
    assert record["text"] == text
    assert offset_errors(record) == []


def test_pipeline_from_a_config_file(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "small.cfg"
    config.write_text(
        '[pipeline]\nname = "small"\nversion = "7"\nstages = ["normalize"]\n\n'
        '[stages]\n\n[stages.normalize]\nfactory = "normalize"\n',
        encoding="utf-8",
    )
    outdir = tmp_path / "out"
    assert run_cli(capsys, "run", corpus, "-o", outdir, "--pipeline", config, "--jobs", "2")[0] == 0
    for record in records(outdir).values():
        assert record["pipeline"]["name"] == "small"
        assert record["pipeline"]["version"].startswith("7+")
        assert record["tokens"] == record["entities"] == []
    assert json.loads((outdir / "run.json").read_text(encoding="utf-8"))["pipeline"] == str(config)


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "{corpus}", "-o", "{out}", "--date", "2025-02-30"],
        ["run", "{corpus}", "-o", "{out}", "--date", "yesterday"],
        ["run", "{corpus}", "-o", "{out}", "--date", "2025-3-1"],
        ["run", "{corpus}", "-o", "{out}", "--jobs", "0"],
        ["run", "{corpus}", "-o", "{out}", "--jobs", "two"],
        ["run", "{corpus}", "-o", "{out}", "--pipeline", "no-such-pipeline"],
        ["run", "{corpus}"],
        ["run", "-o", "{out}"],
        ["run", "{empty}", "-o", "{out}"],
        ["run", "{corpus}", "-o", "{corpus}/other.txt"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    values = {"corpus": corpus, "out": tmp_path / "out", "empty": tmp_path / "empty"}
    code, out, err = run_cli(capsys, *(arg.format(**values) for arg in argv))
    assert code == 2
    assert out == ""
    assert "error" in err or "usage" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "run.json").exists()


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "run", "--help")
    assert code == 0
    assert "--jobs" in out


def test_no_temporary_files_left(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    outdir = tmp_path / "out"
    run_cli(capsys, "run", corpus, "-o", outdir)
    run_cli(capsys, "run", corpus, "-o", outdir)  # overwriting existing records
    assert sorted(output_files(outdir)) == [
        "a/deeper/note.json",
        "a/news.json",
        "other.json",
        "run.json",
    ]


def test_failed_atomic_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "record.json"
    write_atomically(target, "舊內容\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "新內容\ud800")  # a lone surrogate cannot be written
    assert target.read_text(encoding="utf-8") == "舊內容\n"
    assert [path.name for path in target.parent.iterdir()] == ["record.json"]


def test_output_is_deterministic(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "run", corpus, "-o", tmp_path / "one", "--date", "2025-01-02")
    run_cli(capsys, "run", corpus, "-o", tmp_path / "two", "--date", "2025-01-02")
    one, two = output_files(tmp_path / "one"), output_files(tmp_path / "two")
    del one["run.json"], two["run.json"]  # it holds timings
    assert one == two
    assert len(one) == 3


def test_two_workers_match_one(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    serial = run_cli(capsys, "run", corpus, "-o", tmp_path / "serial")
    parallel = run_cli(capsys, "run", corpus, "-o", tmp_path / "parallel", "--jobs", "2")
    for code, out, err in (serial, parallel):
        assert (code, out) == (1, "")
        assert error_lines(err) == [f"error: {(corpus / 'empty.txt').as_posix()}: empty file"]
    assert serial[2].splitlines()[:-1] == parallel[2].splitlines()[:-1]
    one, two = output_files(tmp_path / "serial"), output_files(tmp_path / "parallel")
    summaries = [json.loads(files.pop("run.json")) for files in (one, two)]
    assert one == two
    for key in ("documents", "ok", "failed", "records", "chars"):
        assert summaries[0][key] == summaries[1][key]


def test_python_dash_m_reports_one_line_per_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(OTHER, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)))
    result = subprocess.run(
        [sys.executable, "-m", "zhextract", "run", "in", "-o", "out", "--jobs", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == [
        "[1/3] in/binary.txt: failed: binary file (not text): contains NUL bytes",
        "[2/3] in/empty.txt: failed: empty file",
        "[3/3] in/good.txt: ok",
        "error: in/binary.txt: binary file (not text): contains NUL bytes",
        "error: in/empty.txt: empty file",
    ]
    assert (tmp_path / "out" / "good.json").is_file()


# ---------------------------------------------------------------- show


def marked_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A record from `run`, with an entity, a nested entity and a figure placed on its text
    (the real stages are tested elsewhere; this keeps `show` tests independent of them)."""
    source = tmp_path / "in.txt"
    source.write_text("外交部長訪問臺北市，捐款100萬美元。", encoding="utf-8")
    assert run_cli(capsys, "run", source, "-o", tmp_path / "out")[0] == 0
    path = tmp_path / "out" / "in.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    text = record["text"]

    def span(part: str, **fields: object) -> dict:
        start = text.index(part)
        return {"text": part, "start": start, "end": start + len(part), **fields}

    record["entities"] = [
        span("外交部", label="ORG"),
        span("臺北市", label="GPE"),
        span("臺北", label="LOC"),
    ]
    record["figures"] = [
        span("100萬美元", label="MONEY", value=1000000, unit="USD", counted=None, approx=None)
    ]
    record["dates"] = []
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


def test_show_plain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = marked_record(tmp_path, capsys)
    code, out, err = run_cli(capsys, "show", path)
    assert (code, err) == (0, "")
    assert "[外交部|ORG]長訪問[[臺北|LOC]市|GPE]，捐款[100萬美元|MONEY]。" in out
    assert "\x1b[" not in out
    figure_rows = [line.split() for line in out.splitlines() if line.startswith("100萬美元")]
    assert figure_rows == [["100萬美元", "MONEY", "1000000", "USD"]]
    assert "Dates: none" in out


def test_show_lists_a_dates_bound(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.txt"
    source.write_text("自2018年以來，出口成長。", encoding="utf-8")
    assert run_cli(capsys, "run", source, "-o", tmp_path / "out")[0] == 0
    code, out, _ = run_cli(capsys, "show", tmp_path / "out" / "in.json")
    assert code == 0
    # The bound word before the date is part of its span (自 … 以來).
    date_rows = [line.split() for line in out.splitlines() if line.startswith("自2018年以來")]
    assert date_rows == [["自2018年以來", "2018", "since"]]


def test_show_colour(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = marked_record(tmp_path, capsys)
    code, out, _ = run_cli(capsys, "show", path, "--color")
    assert code == 0
    assert "[外交部|ORG]" not in out
    for part in ("外交部", "100萬美元"):
        assert f"m{part}\x1b[0m" in out  # a colour code, the text, a reset


def test_show_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert run_cli(capsys, "show", bad) == (
        1,
        "",
        f"error: {bad}: not a zhextract record (no 'text')\n",
    )
    missing = tmp_path / "missing.json"
    code, _, err = run_cli(capsys, "show", missing)
    assert (code, err) == (1, f"error: {missing}: cannot read file: No such file or directory\n")


def test_show_marks_real_stage_output(seed_record: dict) -> None:
    """Whatever the stages find, the plain view is the text plus well-formed marks."""
    text = seed_record["text"]
    if "[" in text or "|" in text:
        pytest.skip("seed text contains bracket characters")
    kept = marks(seed_record)
    plain = marked_text(seed_record)
    for mark in kept:
        assert f"|{mark.label}]" in plain
    stripped = plain
    for label in {mark.label for mark in kept}:
        stripped = stripped.replace(f"|{label}]", "")
    assert stripped.replace("[", "") == text
    assert plain.count("[") == len(kept)


def test_user_dictionary_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "doc.txt"
    source.write_text("政府推出霹靂無敵大計畫。", encoding="utf-8")
    words = tmp_path / "words.txt"
    words.write_text("霹靂無敵大計畫 100 n\n", encoding="utf-8")
    plain, custom = tmp_path / "plain", tmp_path / "custom"
    assert run_cli(capsys, "run", source, "-o", plain)[0] == 0
    assert run_cli(capsys, "run", source, "-o", custom, "--user-dict", words, "--jobs", "2")[0] == 0
    plain_record, custom_record = records(plain)["doc.json"], records(custom)["doc.json"]
    assert "霹靂無敵大計畫" not in [token["text"] for token in plain_record["tokens"]]
    assert "霹靂無敵大計畫" in [token["text"] for token in custom_record["tokens"]]
    # Another dictionary is another pipeline version, so --resume never reuses the record.
    assert custom_record["pipeline"]["version"] != plain_record["pipeline"]["version"]
    code, _, err = run_cli(capsys, "run", source, "-o", custom, "--user-dict", tmp_path / "nope")
    assert code == 2
    assert "--user-dict: no such file" in err
