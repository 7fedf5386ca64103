"""`yurd places import|export|reindex`: the gazetteer from the command line.

    yurd places import FILE [--format csv|geonames] [--alternate-names FILE] [--commit]
    yurd places export --output FILE
    yurd places reindex
    yurd places residences

`import` validates every row and prints the problems (row, column, message); with
--commit it writes the valid rows in one transaction. Exit status: 0 every row valid,
1 some rows rejected, 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import csv
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from yurd.core.management.base import YurdCommand
from yurd.places.exporting import write_linkage_csv
from yurd.places.importing import CSV_FORMAT, GEONAMES_FORMAT, ImportFileError
from yurd.places.services import place_file_read, place_rows_commit, places_reindex, residences_load


class Command(YurdCommand):
    help = "Import, export and reindex the gazetteer."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        actions = parser.add_subparsers(dest="action", required=True)
        importer = actions.add_parser("import", help="Validate a gazetteer file and, with --commit, load it.")
        importer.add_argument("file", type=Path)
        importer.add_argument("--format", choices=[CSV_FORMAT, GEONAMES_FORMAT], default=None)
        importer.add_argument(
            "--alternate-names", type=Path, help="GeoNames alternateNamesV2.txt (or a filtered copy)."
        )
        importer.add_argument("--commit", action="store_true", help="Write the valid rows (otherwise only validate).")
        exporter = actions.add_parser(
            "export", help="Write place_id and every name, the shape `linkage --places` reads."
        )
        exporter.add_argument("--output", type=Path, required=True)
        reindexer = actions.add_parser(
            "reindex", help="Recompute every name's search key after the folding rules change."
        )
        residences = actions.add_parser(
            "residences", help="Load the reference gazetteer of current residences (Azerbaijan and abroad)."
        )
        for subparser in (importer, exporter, reindexer, residences):
            # Also accepted after the action; SUPPRESS keeps an earlier --as from being reset.
            subparser.add_argument("--as", dest="as_user", metavar="USERNAME", default=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self.import_file(options)
        elif action == "export":
            with options["output"].open("w", encoding="utf-8", newline="") as output:
                count = write_linkage_csv(output)
            self.stdout.write(f"Wrote {count} places to {options['output']}.")
        elif action == "reindex":
            changed = places_reindex()
            self.stdout.write(f"Recomputed search keys: {changed} changed.")
        elif action == "residences":
            if not self.actor.is_system and not self.actor.user.has_perm("places.import_places"):  # type: ignore[union-attr]
                raise CommandError(f"{self.actor.username} may not import places.")
            summary = residences_load(actor=self.actor)
            self.stdout.write(
                f"Current residences: {summary.created} places created, {summary.updated} updated, "
                f"{summary.unchanged} unchanged; {summary.names_added} names added."
            )

    def import_file(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        file_format = options["format"] or (GEONAMES_FORMAT if path.suffix.lower() == ".txt" else CSV_FORMAT)
        try:
            data = path.read_bytes()
            alternate = options["alternate_names"].read_bytes() if options["alternate_names"] else None
            parsed, valid = place_file_read(data=data, file_format=file_format, alternate_names=alternate)
        except (OSError, ImportFileError) as error:
            self.stderr.write(f"{path}: {error}")
            sys.exit(2)
        writer = csv.writer(self.stdout)
        if parsed.errors or parsed.warnings:
            writer.writerow(["row", "column", "message"])
            for problem in [*parsed.warnings, *parsed.errors]:
                writer.writerow([problem.row_number, problem.column, problem.message])
        rejected = len({error.row_number for error in parsed.errors} - {0, 1})
        self.stdout.write(
            f"{len(valid)} valid rows, {rejected} rejected, {parsed.skipped} skipped (not places Yurd keeps)."
        )
        if options["commit"]:
            if not self.actor.is_system and not self.actor.user.has_perm("places.import_places"):  # type: ignore[union-attr]
                raise CommandError(f"{self.actor.username} may not import places.")
            summary = place_rows_commit(actor=self.actor, rows=valid, reason=f"imported from {path.name}")
            self.stdout.write(
                f"Committed: {summary.created} places created, {summary.updated} updated, "
                f"{summary.unchanged} unchanged; {summary.names_added} names added, {summary.names_updated} updated."
            )
        else:
            self.stdout.write("Validated only; run again with --commit to write the valid rows.")
        if rejected:
            sys.exit(1)
