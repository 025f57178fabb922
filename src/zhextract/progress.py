"""Progress and the closing summary of `zhextract run`, written to stderr.

On a terminal one line is redrawn in place (counts, throughput, ETA); otherwise each
document gets a plain log line, `[12/30] path: ok`. The estimate assumes the remaining
input bytes take as long per byte as the ones done so far.
"""

from __future__ import annotations

import shutil
import time
import unicodedata
from collections.abc import Callable
from typing import TextIO

from .batch import Job, Outcome, Summary

REDRAW_SECONDS = 0.1  # redraw the terminal line at most this often


class Progress:
    """Call with each outcome, in job order; `close()` ends the terminal line."""

    def __init__(
        self,
        jobs: list[Job],
        stream: TextIO,
        live: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.jobs = jobs
        self.stream = stream
        self.live = live
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.failed = 0
        self.skipped = 0
        self.chars = 0
        self.done_bytes = 0
        self.total_bytes = sum(job.size for job in jobs)
        self._drawn_at: float | None = None
        if live:  # show the count while the pipeline loads
            self._redraw()

    def __call__(self, outcome: Outcome) -> None:
        job = self.jobs[self.done]
        self.done += 1
        self.failed += outcome.error is not None
        self.skipped += outcome.skipped
        self.chars += outcome.chars
        self.done_bytes += job.size
        if self.live:
            self._redraw()
        else:
            # A failure says why at once: a reader of a piped log need not wait for the end.
            status = (
                f"failed: {terminal_safe(outcome.error)}"
                if outcome.error
                else "skipped"
                if outcome.skipped
                else "ok"
            )
            display = terminal_safe(outcome.display)
            self._write(f"[{self.done}/{len(self.jobs)}] {display}: {status}\n")

    def status_line(self) -> str:
        elapsed = self.clock() - self.started
        speed = f"{self.chars / elapsed:,.0f} chars/s" if elapsed > 0 else "- chars/s"
        ok = self.done - self.failed - self.skipped
        return (
            f"[{self.done}/{len(self.jobs)}] {ok} ok, {self.failed} failed, "
            f"{self.skipped} skipped | {speed} | ETA {self._eta(elapsed)}"
        )

    def _eta(self, elapsed: float) -> str:
        if self.done >= len(self.jobs):
            return "0:00"
        if self.done_bytes == 0 or elapsed <= 0:
            return "-:--"
        remaining = elapsed * (self.total_bytes - self.done_bytes) / self.done_bytes
        minutes, seconds = divmod(round(remaining), 60)
        return f"{minutes}:{seconds:02d}"

    def _redraw(self) -> None:
        now = self.clock()
        finished = self.done >= len(self.jobs)
        if not finished and self._drawn_at is not None and now - self._drawn_at < REDRAW_SECONDS:
            return
        self._drawn_at = now
        width = shutil.get_terminal_size().columns - 1  # never wrap onto a second line
        self._write("\r" + self.status_line()[:width] + "\x1b[K")

    def close(self) -> None:
        if self.live and self._drawn_at is not None:
            self._write("\n")
            self._drawn_at = None

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def summary_lines(summary: Summary, summary_path: str) -> list[str]:
    """One `error: PATH: REASON` line per failed document, then the totals."""
    lines = [
        f"error: {terminal_safe(item.display)}: {terminal_safe(item.error or '')}"
        for item in summary.failures
    ]
    count = len(summary.outcomes)
    documents = f"{count} document{'' if count == 1 else 's'}"
    if count == 0:
        lines.append(f"{documents}; summary in {summary_path}")
        return lines
    speed = summary.chars_per_second
    rate = "" if speed is None else f" ({speed:,.0f} chars/s)"
    lines.append(
        f"{documents}: {summary.ok} ok, {len(summary.failures)} failed, "
        f"{summary.skipped} skipped; {summary.chars:,} chars in {summary.seconds:.2f} s"
        f"{rate}; summary in {summary_path}"
    )
    return lines


def terminal_safe(text: str) -> str:
    """`text` with control and format characters (escape sequences, carriage returns,
    bidirectional overrides) written as `\\xNN`/`\\uNNNN`, so a file name cannot move the
    cursor, recolour or hide what the terminal shows."""
    if text.isprintable():
        return text
    return "".join(
        char
        if char == " " or unicodedata.category(char) not in UNSAFE_CATEGORIES
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


# Control, format, line and paragraph separators, surrogates and unassigned characters.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Cn"})
