"""Dispatch `python -m zhextract.eval TASK [args]` to `zhextract.eval.TASK.main`."""

from __future__ import annotations

import importlib
import sys

TASKS = ("facts", "figures", "ner", "seg")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in TASKS:
        print(f"usage: python -m zhextract.eval {{{','.join(TASKS)}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(f"zhextract.eval.{args[0]}")
    result: int = module.main(args[1:])
    return result


if __name__ == "__main__":
    sys.exit(main())
