"""watchdog.time_limit outside the main thread (where Dask runs tasks): a timer thread
raises DocumentTimeout in the document's thread, and never after the limit is left."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from zhextract.watchdog import DocumentTimeout, time_limit

LIMIT = 0.2


def in_a_thread(work: Callable[[], object]) -> object:
    """What `work` returned or raised, run in a thread other than the main one."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            result.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def spin_for(seconds: float) -> str:
    """Python bytecode running for `seconds`, as a busy stage does."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def spin_forever() -> str:
    """Spins far past the limit; without a working limit the test fails instead of hanging."""
    return spin_for(50 * LIMIT)


def limited(work: Callable[[], object], seconds: float | None = LIMIT) -> Callable[[], object]:
    def run() -> object:
        with time_limit(seconds):
            return work()

    return run


def test_a_runaway_body_in_a_thread_times_out() -> None:
    assert isinstance(in_a_thread(limited(spin_forever)), DocumentTimeout)


def test_a_quick_body_is_not_interrupted_later() -> None:
    def quick_then_long() -> object:
        with time_limit(LIMIT):
            pass
        return spin_for(3 * LIMIT)  # past the limit, but outside it: no exception

    assert in_a_thread(quick_then_long) == "done"


def test_a_body_within_its_limit_returns() -> None:
    assert in_a_thread(limited(lambda: spin_for(LIMIT / 4), seconds=4 * LIMIT)) == "done"


def test_a_body_that_swallows_the_timeout_still_times_out() -> None:
    def swallowing() -> str:
        try:
            return spin_forever()
        except DocumentTimeout:
            pass  # a stage catching every exception
        return "carried on"

    assert isinstance(in_a_thread(limited(swallowing)), DocumentTimeout)


@pytest.mark.parametrize("seconds", [None, 0])
def test_no_limit_means_none(seconds: float | None) -> None:
    assert in_a_thread(limited(lambda: spin_for(2 * LIMIT), seconds)) == "done"


def test_the_timeout_reaches_only_its_own_thread() -> None:
    other: list[object] = []
    neighbour = threading.Thread(target=lambda: other.append(spin_for(3 * LIMIT)))
    neighbour.start()
    assert isinstance(in_a_thread(limited(spin_forever)), DocumentTimeout)
    neighbour.join()
    assert other == ["done"]
