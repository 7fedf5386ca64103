"""Demo data: a small SYNTHETIC gazetteer (data/synthetic_gazetteer.csv), loaded through
the same import path as any organisation's file. Running it twice changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yurd.core.actors import system_actor
from yurd.places.importing import CSV_FORMAT
from yurd.places.services import place_file_read, place_rows_commit, residences_load

ORDER = 10
DATA_FILE = Path(__file__).resolve().parent / "data" / "synthetic_gazetteer.csv"


def load(*, households: int, stdout: Any) -> None:
    parsed, valid = place_file_read(data=DATA_FILE.read_bytes(), file_format=CSV_FORMAT)
    if parsed.errors:
        problems = "; ".join(f"row {error.row_number} {error.column}: {error.message}" for error in parsed.errors)
        raise RuntimeError(f"The demo gazetteer has errors: {problems}")
    summary = place_rows_commit(actor=system_actor(), rows=valid, reason="demo gazetteri (sintetik)")
    stdout.write(
        f"Places: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged "
        f"(synthetic gazetteer, {len(valid)} places).\n"
    )
    residences = residences_load(actor=system_actor())
    stdout.write(
        f"Current residences: {residences.created} created, {residences.unchanged} unchanged (reference gazetteer).\n"
    )
