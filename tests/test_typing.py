"""`mypy --strict` on a user's script sees the record types (`zhextract.types`) through the
package's public functions, and catches misuse of them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import zhextract

SAMPLES = Path(__file__).resolve().parent / "typing_samples"


def test_the_package_is_marked_typed() -> None:
    assert resources.files("zhextract").joinpath("py.typed").is_file()


def run_mypy(*scripts: Path) -> str:
    pytest.importorskip("mypy")
    package_root = Path(zhextract.__file__).resolve().parent.parent
    env = dict(os.environ)
    if package_root.name != "site-packages":  # a source checkout: check that code
        env["MYPYPATH"] = str(package_root)
    command = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent"]
    command += ["--no-incremental", "--config-file=", *map(str, scripts)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=SAMPLES)
    return done.stdout


def test_mypy_strict_on_user_scripts() -> None:
    output = run_mypy(SAMPLES / "uses_records.py", SAMPLES / "misuses_records.py")
    errors = re.findall(r"^(\S+?\.py):(\d+): error: (.*)$", output, flags=re.MULTILINE)
    assert {name for name, _, _ in errors} == {"misuses_records.py"}, output
    messages: dict[int, str] = {}
    for _, line, message in errors:
        messages[int(line)] = messages.get(int(line), "") + message + "\n"
    assert sorted(messages) == [9, 10, 11]
    assert 'Unsupported operand types for + ("str" and "int")' in messages[9]
    assert 'Unsupported operand types for + ("None" and "int")' in messages[9]
    assert 'No overload variant of "__add__" of "list"' in messages[9]
    assert "Non-overlapping equality check" in messages[10]
    assert '"Figure" has no key "amount"' in messages[11]
