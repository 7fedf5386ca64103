"""Yurd's benchmarks and data generators.

A benchmark is a module `bench/<topic>.py` with a `main()` that runs quickly enough
on two cores, prints its numbers, and exits non-zero if it fails its own target.
`make bench` (`python -m bench`) runs every benchmark, each in its own process;
`python -m bench <topic> [args…]` runs one. A module that is not a benchmark (a data
generator such as `population`) sets `BENCHMARK = False` or is listed in
`bench.__main__.NOT_BENCHMARKS`, and is run directly: `python -m bench.population …`.

Record results, with the exact command that produced them, in docs/benchmarks.md.
"""

from __future__ import annotations

import os


def django_setup(settings_module: str = "config.settings.base") -> None:
    """Configure Django for a benchmark that uses the ORM (DATABASE_URL picks the database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


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
