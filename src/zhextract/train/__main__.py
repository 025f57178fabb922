"""`python -m zhextract.train ner ...`: see zhextract.train.ner."""

from __future__ import annotations

import sys

from .ner import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
