"""`python -m bench [--list] [NAME [ARGS…]]`: run the benchmarks.

Without NAME every benchmark runs in its own Python process (so one cannot disturb
another's settings, database or memory), and a summary follows. With NAME that one
runs here, receiving ARGS as its command line.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

from bench import SetupError

BENCH_DIR = Path(__file__).resolve().parent
# Exit status of a benchmark whose setup staged or loaded nothing (bench.require_setup).
SETUP_FAILED = 4
# Modules with a main() that generate data rather than measure; run them directly.
NOT_BENCHMARKS = {"population"}


def module_names() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(BENCH_DIR)])
        if not info.name.startswith("_") and info.name not in NOT_BENCHMARKS
    )


def load(name: str) -> ModuleType:
    return importlib.import_module(f"bench.{name}")


def benchmarks() -> list[str]:
    """Names of modules with a main() that do not opt out with BENCHMARK = False."""
    found = []
    for name in module_names():
        module = load(name)
        if callable(getattr(module, "main", None)) and getattr(module, "BENCHMARK", True):
            found.append(name)
    return found


def run_one(name: str, args: list[str]) -> int:
    if name not in module_names() and name not in NOT_BENCHMARKS:
        sys.stderr.write(f"bench: no module bench/{name}.py; available: {', '.join(module_names()) or 'none'}\n")
        return 2
    module = load(name)
    main = getattr(module, "main", None)
    if not callable(main):
        sys.stderr.write(f"bench: bench/{name}.py has no main()\n")
        return 2
    sys.argv = [f"bench/{name}.py", *args]
    try:
        outcome = main()
    except SetupError as error:
        sys.stderr.write(f"bench {name}: {error}\n")
        return SETUP_FAILED
    return outcome if isinstance(outcome, int) else 0


def run_all() -> int:
    names = benchmarks()
    if not names:
        print("No benchmarks yet: add bench/<topic>.py with a main().")
        return 0
    results: list[tuple[str, int, float]] = []
    for name in names:
        print(f"== bench {name}", flush=True)
        started = time.perf_counter()
        completed = subprocess.run([sys.executable, "-m", "bench", name], check=False)
        results.append((name, completed.returncode, time.perf_counter() - started))
    print("\n== Summary")
    width = max(len(name) for name in names)
    for name, code, seconds in results:
        status = "ok" if code == 0 else "SET-UP FAILED" if code == SETUP_FAILED else f"FAILED (exit {code})"
        print(f"  {name:<{width}}  {seconds:8.1f} s  {status}")
    return 0 if all(code == 0 for _name, code, _seconds in results) else 1


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    if argv and argv[0] == "--list":
        for name in benchmarks():
            print(name)
        return 0
    if argv:
        return run_one(argv[0], argv[1:])
    return run_all()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
