"""outputs/ holds the default pipeline's records of corpus/, byte for byte.

Regenerate with `zhextract run corpus -o outputs` from the repository root.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zhextract.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_outputs_match_a_fresh_run_of_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    assert main(["run", "corpus", "-o", str(tmp_path)]) == 0
    fresh = {
        path.name: path.read_bytes() for path in tmp_path.glob("*.json") if path.name != "run.json"
    }
    kept = {
        path.name: path.read_bytes()
        for path in (REPO / "outputs").glob("*.json")
        if path.name != "run.json"
    }
    assert sorted(kept) == sorted(fresh), "outputs/ lists other documents than corpus/"
    stale = [name for name in fresh if kept[name] != fresh[name]]
    assert stale == [], (
        f"outputs/ is out of date for {stale}: rerun `zhextract run corpus -o outputs`"
    )
