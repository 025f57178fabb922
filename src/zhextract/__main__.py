"""`python -m zhextract`: the command line (see `zhextract.cli`)."""

from .cli import main

raise SystemExit(main())
