"""Fuzz campaign: `python -m zhextract.fuzz --examples 100000 [--seed N] [--max-chars N]`.

Random texts (CJK-heavy mixes, numerals, punctuation, every kind of line break, long
runs of one adversarial unit, arbitrary code points including lone surrogates) go
through `zhextract.extract`, and every record must hold the invariants of
`record_problems`: no exception, exact offsets, tokens that tile the text, finite exact
values, a schema-valid record that can be written as UTF-8. Failures are printed with
the text that caused them (as a Python literal); the exit status is 1 when any failed.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

CJK_PIECES = list(
    "　 。，、「」『』（）()《》一二三四五六七八九十百千萬億兆零兩年月日時分第至約近逾"
    "美元新臺幣臺北市川普總統行政院立法院經濟部表示宣布成長下降百分之點"
)
NUMERIC_PIECES = list("0123456789０１２３.,%％-$+~/:") + ["1.5", "2,000", "3.14", "12:30"]
BREAKS = ["\n", "\r", "\r\n", "\n\n", "\u2028", "\u2029", "\x0c", "\x85", "\t"]
# The units whose long runs made stages quadratic or worse (tests and the scaling bench).
ADVERSARIAL_UNITS = [
    "年",
    ".",
    "（",
    "-",
    "=",
    "*",
    "…",
    "—",
    "。",
    "「",
    "《",
    "一",
    "十",
    "萬",
    "1",
    "12.",
    "丂丄丅",
    "\n",
    "\r",
]


def random_text(rng: random.Random, max_chars: int, units: list[str] | None = None) -> str:
    """One fuzz input: a few runs, each from one of the generators (runs of one of
    `units`, by default `ADVERSARIAL_UNITS`, among them)."""
    parts: list[str] = []
    budget = rng.randint(0, max_chars)
    while sum(map(len, parts)) < budget:
        generator = rng.choice(GENERATORS)
        if generator is _repeated_unit:
            parts.append(
                rng.choice(units or ADVERSARIAL_UNITS) * rng.randint(2, max(2, budget // 2))
            )
        else:
            parts.append(generator(rng, budget))
    return "".join(parts)[:budget]


def _cjk(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(CJK_PIECES) for _ in range(rng.randint(1, 30)))


def _han(rng: random.Random, size: int) -> str:
    return "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(rng.randint(1, 20)))


def _numeric(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(NUMERIC_PIECES) for _ in range(rng.randint(1, 12)))


def _line_break(rng: random.Random, size: int) -> str:
    return rng.choice(BREAKS)


def _repeated_unit(rng: random.Random, size: int) -> str:
    return rng.choice(ADVERSARIAL_UNITS) * rng.randint(2, max(2, size // 2))  # see random_text


def _any_code_point(rng: random.Random, size: int) -> str:
    return "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 5)))


def _ascii(rng: random.Random, size: int) -> str:
    return "".join(chr(rng.randint(0, 0x7F)) for _ in range(rng.randint(1, 10)))


GENERATORS: list[Callable[[random.Random, int], str]] = [
    _cjk,
    _cjk,
    _cjk,
    _han,
    _numeric,
    _numeric,
    _line_break,
    _repeated_unit,
    _any_code_point,
    _ascii,
]


def record_problems(text: str, record: dict[str, Any]) -> list[str]:
    """Every invariant the record of `text` breaks (empty when it holds them all)."""
    from .record import offset_errors, validate

    problems = list(offset_errors(record))
    problems += [f"schema: {problem}" for problem in validate(record)]
    problems += _tiling_problems(record)
    problems += [f"inexact value {value!r}" for value in _numbers(record) if not _exact(value)]
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError) as error:
        problems.append(f"not writable as UTF-8 JSON: {error}")
    for name in ("tokens", "entities", "figures", "dates", "sentences", "paragraphs"):
        for item in record[name]:
            if not 0 <= item["source_start"] <= item["source_end"] <= len(text):
                problems.append(
                    f"{name}: source offsets {item['source_start']}..{item['source_end']} outside the input"
                )
    return problems


def _tiling_problems(record: dict[str, Any]) -> list[str]:
    """Tokens in order, apart, and together every non-space character of the text."""
    text = record["text"]
    position = 0
    for token in record["tokens"]:
        if token["start"] < position:
            return [f"token {token['text']!r} at {token['start']} overlaps the one before"]
        if text[position : token["start"]].strip():
            return [f"text {text[position : token['start']]!r} before {token['start']} in no token"]
        position = token["end"]
    if text[position:].strip():
        return [f"text {text[position:]!r} after the last token in no token"]
    return []


def _numbers(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def _exact(value: int | float) -> bool:
    return isinstance(value, int) or math.isfinite(value)


def check_text(text: str, seconds: float | None = None) -> list[str]:
    """The problems `zhextract.extract(text)` has: an exception, taking longer than
    `seconds`, or broken invariants."""
    import zhextract

    from .watchdog import DocumentTimeout, time_limit

    try:
        with time_limit(seconds):
            record = zhextract.extract(text)
    except DocumentTimeout:
        return [f"took longer than {seconds:g} s"]
    except Exception as error:  # the campaign reports every kind
        return [f"{type(error).__name__}: {error}"]
    return record_problems(text, dict(record))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zhextract.fuzz", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-chars", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per example")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    # Load the pipeline outside the first example's time limit.
    check_text("暖身。")
    started = time.perf_counter()
    failures = 0
    for number in range(1, args.examples + 1):
        text = random_text(rng, args.max_chars)
        problems = check_text(text, args.seconds)
        if problems:
            failures += 1
            print(f"FAIL {number}: {text!r}", flush=True)
            for problem in problems[:5]:
                print(f"  {problem}", flush=True)
        if number % 1000 == 0:
            print(
                f"{number} examples, {failures} failed, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    print(
        f"{args.examples} examples (seed {args.seed}, up to {args.max_chars} chars): {failures} failed"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
