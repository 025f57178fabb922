"""The built dictionaries' cache: a private folder of this user's, and tables that are
loaded only when they match their digest."""

from __future__ import annotations

import marshal
import os
import stat
from pathlib import Path

import pytest

from zhextract.stages import segment_lexicon
from zhextract.stages.segment_lexicon import private_folder, verified_payload, with_digest


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_new_cache_folder_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "zhextract"
    private_folder(folder)
    assert folder.is_dir()
    assert mode_of(folder) == 0o700


def test_an_open_cache_folder_of_ours_is_closed(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    private_folder(folder)
    assert mode_of(folder) == 0o700


def test_a_link_is_no_cache_folder(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(OSError, match="not a folder"):
        private_folder(tmp_path / "link")


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="needs chown")
def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "planted"
    folder.mkdir(mode=0o700)
    os.chown(folder, os.getuid() + 12345, -1)
    with pytest.raises(OSError, match="another user"):
        private_folder(folder)


def test_the_temp_fallback_is_per_user() -> None:
    fallback = segment_lexicon._cache_folders()[1]
    assert fallback.name == f"zhextract-{os.getuid()}"


def test_digest_round_trip_and_tampering() -> None:
    payload = marshal.dumps(({"詞": -1.5}, {"詞": "n"}, -9.0))
    stored = with_digest(payload)
    assert verified_payload(stored) == payload
    tampered = stored[:-1] + bytes([stored[-1] ^ 1])
    with pytest.raises(ValueError):
        verified_payload(tampered)
    with pytest.raises(ValueError):
        verified_payload(payload)  # no digest line at all


def test_a_planted_table_is_rebuilt_not_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHEXTRACT_CACHE_DIR", str(tmp_path / "cache"))
    honest = segment_lexicon.word_table("default")
    dictionary = segment_lexicon.dictionary_path("default")
    assert dictionary.parent == tmp_path / "cache"
    [table_file] = [path for path in dictionary.parent.iterdir() if ".table" in path.name]
    planted = marshal.dumps(({"臺北": 0.0}, {}, -1.0))
    table_file.write_bytes(b"0" * 64 + b"\n" + planted)
    assert segment_lexicon.word_table("default") == honest
    assert verified_payload(table_file.read_bytes()) != planted
