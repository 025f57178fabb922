"""Scaling benchmark: `python -m zhextract.scaling [--sizes 1000 10000 100000]
[--units ...] [--rss-mb 1 10 50] [--seconds 300] [--repeat 3]`.

For each adversarial unit (a long run of one character or pattern, see
`fuzz.ADVERSARIAL_UNITS`) it times `zhextract.extract` on texts of each size (the least of
`--repeat` timings, fewer once they add up to REPEAT_SECONDS) and prints the growth
exponent between consecutive sizes (log of the time ratio over log of the size ratio: 1 is
linear, 2 quadratic); a run over the time limit is shown as `>LIMIT`. Then, for each
`--rss-mb`, a fresh process writes the record of one document of that many megabytes of
corpus text (UTF-8 bytes) as `zhextract run` does and reports its peak RSS. Numbers go to
stdout; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .fuzz import ADVERSARIAL_UNITS
from .watchdog import DocumentTimeout, time_limit

REPO = Path(__file__).resolve().parents[2]
REPEAT_SECONDS = 60.0


def unit_text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def time_extract(text: str, seconds: float) -> float | None:
    """Seconds `zhextract.extract(text)` takes; None past `seconds`."""
    import zhextract

    gc.collect()  # garbage of the previous timing is not this text's cost
    started = time.perf_counter()
    try:
        with time_limit(seconds):
            zhextract.extract(text)
    except DocumentTimeout:
        return None
    return time.perf_counter() - started


def exponent(small: tuple[int, float], large: tuple[int, float]) -> float:
    (n1, t1), (n2, t2) = small, large
    return math.log(max(t2, 1e-6) / max(t1, 1e-6)) / math.log(n2 / n1)


def best_time(text: str, seconds: float, repeat: int) -> float | None:
    """The least of `repeat` timings (one-off costs such as a first large allocation or
    a BLAS thread pool starting would otherwise land on whichever size meets them first),
    or of as many as REPEAT_SECONDS allow once one is done (a long timing varies less);
    None past `seconds`."""
    timings: list[float] = []
    while len(timings) < repeat and (not timings or sum(timings) < REPEAT_SECONDS):
        took = time_extract(text, seconds)
        if took is None:
            return None
        timings.append(took)
    return min(timings)


def scaling_rows(units: list[str], sizes: list[int], seconds: float, repeat: int = 3) -> None:
    import zhextract

    zhextract.extract("暖身。")  # load dictionaries and models before timing
    print("unit\t" + "\t".join(f"{size:,} chars" for size in sizes) + "\texponents")
    for unit in units:
        timed: list[tuple[int, float]] = []
        cells = []
        for size in sizes:
            took = best_time(unit_text(unit, size), seconds, repeat)
            if took is None:
                cells.append(f">{seconds:g} s")
                break
            timed.append((size, took))
            cells.append(f"{took:.3f} s")
        cells += ["-"] * (len(sizes) - len(cells))
        exponents = [f"{exponent(a, b):.2f}" for a, b in zip(timed, timed[1:])]
        print(f"{unit!r}\t" + "\t".join(cells) + "\t" + " ".join(exponents), flush=True)


def corpus_text(megabytes: float) -> str:
    sources = sorted((REPO / "corpus").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in sources]
    if not texts:
        raise SystemExit("no corpus text")
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = index = 0
    while size < target:
        parts.append(texts[index % len(texts)])
        size += len(parts[-1].encode("utf-8"))
        index += 1
    return "\n\n".join(parts)


def peak_rss_child(megabytes: float) -> None:
    """In a fresh process: write one document's record to a temporary file as `zhextract
    run` does (a long document chunk by chunk) and print chars, seconds, record size and
    peak RSS (MB). `zhextract.extract` would hold the whole record in memory instead."""
    import zhextract

    text = corpus_text(megabytes)
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        zhextract.load("default").write(text, out)
        size = out.tell()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"{megabytes:g} MB\t{len(text):,} chars\t{seconds:.1f} s\trecord {size / 1e6:,.0f} MB"
        f"\tpeak RSS {peak:,.0f} MB",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.scaling")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--units", nargs="*", default=ADVERSARIAL_UNITS)
    parser.add_argument("--seconds", type=float, default=300.0, help="limit per timing")
    parser.add_argument("--repeat", type=int, default=3, help="timings per size (the least)")
    parser.add_argument("--rss-mb", type=float, nargs="*", default=[1, 10, 50])
    parser.add_argument("--rss-child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child is not None:
        peak_rss_child(args.rss_child)
        return 0
    if args.units:
        scaling_rows(args.units, sorted(args.sizes), args.seconds, args.repeat)
    for megabytes in args.rss_mb:
        command = [sys.executable, "-m", "zhextract.scaling", "--rss-child", str(megabytes)]
        subprocess.run(command, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
