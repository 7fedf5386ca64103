"""Yurd's benchmarks and data generators.

A benchmark is a module `bench/<topic>.py` with a `main()` that runs quickly enough
on two cores, prints its numbers, and exits non-zero if it fails its own target.
`make bench` (`python -m bench`) runs every benchmark, each in its own process;
`python -m bench <topic> [args…]` runs one. A module that is not a benchmark (a data
generator such as `population`) sets `BENCHMARK = False` or is listed in
`bench.__main__.NOT_BENCHMARKS`, and is run directly: `python -m bench.population …`.

Record results, with the exact command that produced them, in docs/benchmarks.md.

Every benchmark checks its own setup with `require_setup` before it measures: a setup that
staged or loaded nothing (a data file the gazetteer rejects, an empty generator) stops the
benchmark at once with a message, instead of timing nothing or waiting for work that never
starts.
"""

from __future__ import annotations

import os
from typing import Any


def django_setup(settings_module: str = "config.settings.base") -> None:
    """Configure Django for a benchmark that uses the ORM (DATABASE_URL picks the database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


class SetupError(RuntimeError):
    """A benchmark's setup staged or loaded nothing (or less than it must): nothing to measure."""


def require_setup(count: int, what: str, *, expected: int | None = None, detail: str = "") -> int:
    """Stop the benchmark unless its setup produced `count` > 0 `what` (and, when given, all
    `expected` of them); `detail` says why, e.g. the first rejected row. Returns `count`."""
    if count > 0 and (expected is None or count >= expected):
        return count
    wanted = f" of {expected:,} expected" if expected is not None else ""
    reason = f": {detail}" if detail else ""
    raise SetupError(f"set-up produced {count:,} {what}{wanted}{reason}; there is nothing to measure")


def staged_problem(batch: Any) -> str:
    """Why a staged registry import has invalid rows, in words: its error or its first bad row."""
    from yurd.registry.imports.services import staged_errors

    if batch.error:
        return str(batch.error)
    first = staged_errors(batch, limit=1)
    if not first:
        return ""
    number, column, message = first[0]
    return f"row {number}, {column}: {message}"


def require_staged(batch: Any, *, expected: int | None = None) -> int:
    """`require_setup` for a staged registry import: every row valid (or `expected` of them)."""
    wanted = batch.total_rows if expected is None else expected
    detail = staged_problem(batch) if batch.valid_rows < wanted or not batch.valid_rows else ""
    return require_setup(batch.valid_rows, "valid rows staged", expected=wanted, detail=detail)


def run_bounded(command: list[str], *, timeout: float, label: str, env: dict[str, str] | None = None) -> int:
    """Run `command` in its own process group and wait at most `timeout` seconds; on overrun
    (or any exit from here) the whole group is killed, so no child outlives the benchmark.
    Returns the exit status, or 124 after a timeout."""
    import signal
    import subprocess
    import sys

    process = subprocess.Popen(command, start_new_session=True, env=env)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{label}: exceeded {timeout:.0f} s; stopped", file=sys.stderr)
        return 124
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
