"""`python -m zhextract.train COMMAND ...`: `ner`, `ner-score` (zhextract.train.ner),
`lac-convert` (zhextract.train.lac_convert), `ner-lac` (zhextract.train.ner_lac)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "lac-convert":
        from .lac_convert import main as convert

        return convert(argv[1:])
    if command == "ner-lac":
        from .ner_lac import main as fine_tune

        return fine_tune(argv[1:])
    from .ner import main as ner

    return ner(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
