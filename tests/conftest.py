"""Shared fixtures: the user's sample document, read from ../shared/seeds where present."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_PATH = REPO.parent / "shared" / "seeds" / "000_beb807c6142ff2a5.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED_PATH.is_file():
        pytest.skip("seed document ../shared/seeds/000_beb807c6142ff2a5.txt is absent")
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_record(seed_text: str) -> dict:
    import zhextract

    return zhextract.extract(seed_text)
