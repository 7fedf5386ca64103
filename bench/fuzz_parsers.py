"""Fuzz Yurd's parsers with atheris (coverage-guided): they must accept or refuse, never crash.

    pip install atheris
    python -m bench fuzz_parsers --seconds 60          # all targets, 60 s each
    python -m bench fuzz_parsers --target geojson --seconds 300

Targets: partial dates, linkage birth dates and names, GeoJSON geometry validation,
registry CSV/XLSX import (`registry_import`), KoBo / ODK Central exports (`kobo_export`),
OpenRosa XML submissions (`openrosa`), gazetteer CSV and GeoNames files (`gazetteer`),
zip-bomb checks of workbooks (`workbook`) and file-name sanitising (`file_names`).
A crash prints the input and exits non-zero (atheris writes crash-<hash> files in the
working directory); add it to yurd/core/tests/test_hostile_parsers.py as a regression.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable

BENCHMARK = False  # a fuzzer, not a measurement: run it by name


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _target(name: str) -> Callable[[bytes], None]:
    from yurd.core.partial_dates import PartialDate, PartialDateError
    from yurd.heritage.geometry import GeometryError, validate
    from yurd.names.dates import parse_birth_date
    from yurd.names.personal import parse_name

    def text(data: bytes) -> str:
        return data.decode("utf-8", "replace")

    def dates(data: bytes) -> None:
        with contextlib.suppress(PartialDateError):
            PartialDate.parse(text(data))
        parse_birth_date(text(data))

    def names(data: bytes) -> None:
        parts = text(data).split("\x00")
        parse_name(full_name=parts[0], surname=parts[1] if len(parts) > 1 else "")

    def geojson(data: bytes) -> None:
        try:
            value = json.loads(data)
        except ValueError:
            return
        with contextlib.suppress(GeometryError):
            validate(value)

    def registry_import(data: bytes) -> None:
        from yurd.registry.imports.reading import ImportFileError, read_table

        with contextlib.suppress(ImportFileError):
            for _row in read_table(data, "fuzz.xlsx" if data[:1] == b"X" else "fuzz.csv").rows:
                pass

    def kobo_export(data: bytes) -> None:
        from yurd.fieldwork.submissions import SubmissionError, parse_export

        with contextlib.suppress(SubmissionError):
            parse_export(data, "fuzz.csv")

    def openrosa(data: bytes) -> None:
        from yurd.fieldwork.submissions import SubmissionError, parse_instance

        with contextlib.suppress(SubmissionError):
            parse_instance(data)

    def gazetteer(data: bytes) -> None:
        from yurd.places.importing import ImportFileError as PlaceFileError
        from yurd.places.importing import decode, parse_csv, parse_geonames

        with contextlib.suppress(PlaceFileError):
            text = decode(data)
            parse_geonames(text) if text.count("\t") > text.count(",") else parse_csv(text)

    def workbook(data: bytes) -> None:
        from yurd.core.uploads import UnsafeUploadError, check_zip

        with contextlib.suppress(UnsafeUploadError):
            check_zip(b"PK\x03\x04" + data)

    def file_names(data: bytes) -> None:
        from yurd.core.uploads import safe_filename

        clean = safe_filename(text(data))
        if not clean or any(character in clean for character in "/\\\x00") or clean in {".", ".."}:
            raise AssertionError(f"unsafe name {clean!r} from {data!r}")

    return {
        "dates": dates,
        "names": names,
        "geojson": geojson,
        "registry_import": registry_import,
        "kobo_export": kobo_export,
        "openrosa": openrosa,
        "gazetteer": gazetteer,
        "workbook": workbook,
        "file_names": file_names,
    }[name]


TARGETS = [
    "dates",
    "names",
    "geojson",
    "registry_import",
    "kobo_export",
    "openrosa",
    "gazetteer",
    "workbook",
    "file_names",
]


def fuzz_one(name: str, seconds: int) -> None:
    import atheris

    _setup()
    target = _target(name)
    atheris.Setup([sys.argv[0], f"-max_total_time={seconds}", "-max_len=512", "-print_final_stats=1"], target)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", choices=TARGETS)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args(argv)
    if args.target:
        fuzz_one(args.target, args.seconds)
        return
    failed = []
    for name in TARGETS:
        print(f"== fuzzing {name} for {args.seconds} s", flush=True)
        result = subprocess.run(
            [sys.executable, "-m", "bench", "fuzz_parsers", "--target", name, "--seconds", str(args.seconds)],
            check=False,
        )
        if result.returncode != 0:
            failed.append(name)
    if failed:
        raise SystemExit(f"crashes in: {', '.join(failed)}")
    print("no crashes")


if __name__ == "__main__":
    main()
