"""Evaluation commands: `python -m zhextract.eval {facts,figures,ner,seg}`.

Each reads public gold data from `../shared/eval` (or $ZHEXTRACT_EVAL_DIR) and skips
cleanly, exit 0 with a message, when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path


def eval_dir() -> Path | None:
    """The shared evaluation data folder, or None where it is not present."""
    candidates = [os.environ.get("ZHEXTRACT_EVAL_DIR", ""), "../shared/eval", "../../shared/eval"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate).resolve()
    return None
