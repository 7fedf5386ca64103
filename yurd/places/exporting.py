"""The gazetteer as the linkage engine reads it: `place_id` and one column per name."""

from __future__ import annotations

import csv
from typing import TextIO

from yurd.places.models import Place, PlaceName


def linkage_rows() -> tuple[list[str], list[list[str]]]:
    """Header and rows: place code, then the primary name and every other distinct name."""
    names_by_place: dict[int, list[str]] = {}
    for place_id, text in PlaceName.objects.order_by("place_id", "year_from", "pk").values_list("place_id", "text"):
        names_by_place.setdefault(place_id, []).append(text)
    rows = []
    for pk, code, primary in Place.objects.order_by("path").values_list("pk", "code", "name"):
        names = [primary]
        for text in names_by_place.get(pk, []):
            if text not in names:
                names.append(text)
        rows.append([code, *names])
    width = max((len(row) - 1 for row in rows), default=1)
    header = ["place_id", *[f"name_{index}" for index in range(1, width + 1)]]
    return header, [row + [""] * (width + 1 - len(row)) for row in rows]


def write_linkage_csv(output: TextIO) -> int:
    header, rows = linkage_rows()
    writer = csv.writer(output)
    writer.writerow(header)
    writer.writerows(rows)
    return len(rows)
