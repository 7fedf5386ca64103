"""`python -m bench`: finds benchmarks, runs each in its own process, reports failures."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import SetupError, require_setup

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def bench_copy(tmp_path: Path) -> Path:
    bench = tmp_path / "bench"
    bench.mkdir()
    for name in ("__init__.py", "__main__.py"):
        shutil.copy(ROOT / "bench" / name, bench / name)
    (bench / "fast.py").write_text("import sys\ndef main():\n    print('fast: 3 ms', sys.argv[1:])\n")
    (bench / "broken.py").write_text("def main():\n    raise SystemExit(3)\n")
    (bench / "generator.py").write_text("BENCHMARK = False\ndef main():\n    raise SystemExit(9)\n")
    (bench / "helpers.py").write_text("X = 1\n")
    return tmp_path


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_lists_only_modules_with_main_that_do_not_opt_out(bench_copy: Path) -> None:
    assert run(bench_copy, "--list").stdout.split() == ["broken", "fast"]


def test_runs_every_benchmark_and_fails_if_one_fails(bench_copy: Path) -> None:
    result = run(bench_copy)
    assert result.returncode == 1
    assert "fast: 3 ms []" in result.stdout
    assert "broken" in result.stdout and "FAILED (exit 3)" in result.stdout


def test_runs_one_by_name_with_its_arguments(bench_copy: Path) -> None:
    result = run(bench_copy, "fast", "--households", "10")
    assert result.returncode == 0
    assert "fast: 3 ms ['--households', '10']" in result.stdout


def test_an_unknown_name_is_a_clear_error(bench_copy: Path) -> None:
    result = run(bench_copy, "nope")
    assert result.returncode == 2
    assert "no module bench/nope.py" in result.stderr


def test_an_empty_harness_succeeds(tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    for name in ("__init__.py", "__main__.py"):
        shutil.copy(ROOT / "bench" / name, tmp_path / "bench" / name)
    result = run(tmp_path)
    assert result.returncode == 0
    assert "No benchmarks yet" in result.stdout


def test_a_benchmark_whose_setup_staged_nothing_stops_at_once_with_the_reason(bench_copy: Path) -> None:
    (bench_copy / "bench" / "empty.py").write_text(
        "from bench import require_setup\n"
        "def main():\n"
        "    require_setup(0, 'valid rows staged', expected=20000, detail=\"row 2, origin_place: ambiguous place\")\n"
        "    raise AssertionError('went on to measure nothing')\n"
    )

    alone = run(bench_copy, "empty")
    every = run(bench_copy)

    assert alone.returncode == 4
    assert alone.stderr == (
        "bench empty: set-up produced 0 valid rows staged of 20,000 expected: "
        "row 2, origin_place: ambiguous place; there is nothing to measure\n"
    )
    assert "SET-UP FAILED" in every.stdout and "went on to measure" not in every.stderr


def test_a_setup_that_produced_what_it_must_passes_the_check() -> None:
    assert require_setup(20000, "valid rows staged", expected=20000) == 20000
    with pytest.raises(SetupError, match="19,999 valid rows staged of 20,000 expected"):
        require_setup(19999, "valid rows staged", expected=20000)
