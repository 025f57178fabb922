"""Pipelines from config files, the stage registry and the library entry points."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import zhextract
from zhextract.pipeline import Pipeline, read_spec
from zhextract.registry import registered_stages


def test_default_pipeline_declares_its_stages_in_order() -> None:
    spec = read_spec("default")
    assert [name for name, _, _ in spec.stages] == [
        "normalize", "structure", "segment", "entities", "figures", "retokenize", "facts",
    ]  # fmt: skip
    assert set(registered_stages()) >= {
        "normalize", "structure", "segment", "entities", "figures", "facts",
    }  # fmt: skip


def test_load_returns_a_cached_callable_pipeline() -> None:
    pipeline = zhextract.load()
    assert pipeline is zhextract.load("default")
    record = pipeline("臺北市今天天氣晴。")
    assert record["pipeline"]["name"] == "default"
    assert record["text"] == "臺北市今天天氣晴。"
    assert [r["text"] for r in pipeline.pipe(["一。", "二。"])] == ["一。", "二。"]


def test_pipeline_from_a_cfg_file(tmp_path: Path) -> None:
    cfg = tmp_path / "minimal.cfg"
    cfg.write_text(
        '[pipeline]\nname = "minimal"\nversion = "7"\nstages = ["normalize"]\n\n'
        '[stages]\n\n[stages.normalize]\nfactory = "normalize"\n',
        encoding="utf-8",
    )
    record = zhextract.load(str(cfg))("資 1 兆美元")
    assert record["pipeline"]["name"] == "minimal"
    assert record["pipeline"]["version"].startswith("7+")
    assert record["text"] == "資1兆美元"
    assert record["tokens"] == [] and record["figures"] == []


def test_a_stage_whose_requirements_are_missing_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "broken.cfg"
    cfg.write_text(
        '[pipeline]\nname = "broken"\nstages = ["segment"]\n\n[stages]\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="requires"):
        Pipeline(read_spec(cfg))


def test_unknown_pipeline_and_factory_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no pipeline named"):
        zhextract.load("no-such-pipeline")
    cfg = tmp_path / "unknown.cfg"
    cfg.write_text(
        '[pipeline]\nname = "u"\nstages = ["x"]\n\n[stages]\n\n[stages.x]\nfactory = "nope"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown stage factory 'nope'"):
        Pipeline(read_spec(cfg))


@pytest.mark.parametrize(
    "doc_date", ["2025-02-07", dt.date(2025, 2, 7), dt.datetime(2025, 2, 7, 9)]
)
def test_extract_accepts_iso_strings_and_dates(doc_date: object) -> None:
    record = zhextract.extract("今天開會。", doc_date=doc_date)  # type: ignore[arg-type]
    assert record["doc_date"] == "2025-02-07"


def test_extract_rejects_a_bad_doc_date() -> None:
    with pytest.raises(ValueError, match="ISO date"):
        zhextract.extract("今天開會。", doc_date="07/02/2025")


def test_segment_words_concatenate_to_the_text_without_whitespace() -> None:
    text = "日本首相石破茂 訪問華府，與美國總統川普會晤。\n"
    words = zhextract.segment(text)
    assert "".join(words) == "".join(text.split())
    assert "石破茂" in words


def test_the_model_pipeline_adds_the_statistical_models_entities() -> None:
    from zhextract.record import validate

    text = "許銘洋昨天抵達高雄。"
    record = zhextract.load("model")(text)
    assert validate(record) == []
    assert record["pipeline"]["name"] == "model"
    found = [(e["text"], e["label"], e["source"]) for e in record["entities"]]
    assert found == [("許銘洋", "PERSON", "model"), ("高雄", "GPE", "gazetteer")]


def test_settings_can_be_overridden_when_loading(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("霹靂無敵大計畫 100 n\n", encoding="utf-8")
    text = "政府推出霹靂無敵大計畫。"
    custom = zhextract.load("default", {"stages.segment.user_dict": str(words)})
    assert custom is not zhextract.load("default")
    assert "霹靂無敵大計畫" in [token["text"] for token in custom(text)["tokens"]]
    assert "霹靂無敵大計畫" not in [token["text"] for token in zhextract.extract(text)["tokens"]]
