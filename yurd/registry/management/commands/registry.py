"""`yurd registry import FILE` and `yurd registry export --output FILE`.

import: without --commit only validates. Exit status 0 when every row is valid, 1 when
some rows were rejected (listed in --report with row, column and reason), 2 when the
file cannot be read. --commit writes the valid rows in one transaction;
--all-or-nothing writes nothing if any row was rejected.
export: writes what the --as user's role and scope allow, pseudonymised unless
--identified (which needs accounts.export_identified); --purpose is required and logged.
reindex: recomputes every person's search keys and name tokens from their name forms
(after an upgrade that changed how names are folded, or to repair the search index).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from yurd.core.management.base import YurdCommand
from yurd.registry.exports import export_csv, export_xlsx, registry_export
from yurd.registry.imports import ImportFileError, ImportRefusedError, rejected_rows_csv
from yurd.registry.imports.services import import_commit, import_create, import_validate, staged_errors
from yurd.registry.search_index import reindex_all


class Command(YurdCommand):
    help = "Import households and people from CSV/XLSX, or export the registry."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        subparsers = parser.add_subparsers(dest="action", required=True)
        importing = subparsers.add_parser("import", help="Validate (and with --commit, import) a file.")
        importing.add_argument("file")
        importing.add_argument("--source", default="", help="Name of the list (default: the file name).")
        importing.add_argument("--commit", action="store_true", help="Write the valid rows.")
        importing.add_argument("--all-or-nothing", action="store_true", help="Write nothing if any row is rejected.")
        importing.add_argument("--report", metavar="CSV", help="Write rejected rows with their reasons here.")
        exporting = subparsers.add_parser("export", help="Export the registry as CSV or XLSX.")
        exporting.add_argument("--output", required=True)
        exporting.add_argument("--format", choices=["csv", "xlsx"], default=None)
        exporting.add_argument("--purpose", default="", help="Why (logged); required.")
        exporting.add_argument("--identified", action="store_true", help="Include names (needs the permission).")
        subparsers.add_parser("reindex", help="Rebuild the name search index from every name form.")
        for sub in (importing, exporting):
            sub.add_argument("--as", dest="as_user", metavar="USERNAME", default=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            code = self.import_file(options)
            if code:
                sys.exit(code)
        elif options["action"] == "reindex":
            seen, changed = reindex_all()
            self.stdout.write(f"Search index: {seen} people checked, {changed} re-indexed.")
        else:
            self.export(options)

    def import_file(self, options: dict[str, Any]) -> int:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            self.stderr.write(f"Cannot read {path}: {error}")
            return 2
        if self.actor.user is not None and not self.actor.user.has_perm("registry.add_importbatch"):
            raise CommandError("This user may not import.")
        try:
            batch = import_create(actor=self.actor, data=data, file_name=path.name, source=options["source"])
            batch = import_validate(batch=batch, data=data)
        except ImportFileError as error:
            self.stderr.write(f"{path}: {error}")
            return 2
        self.stdout.write(
            f"{batch.total_rows} rows: {batch.valid_rows} valid, {batch.rejected_rows} rejected (batch {batch.pk})."
        )
        for number, column, message in staged_errors(batch, limit=20):
            self.stdout.write(f"  row {number}, {column}: {message}")
        if options["report"]:
            Path(options["report"]).write_text(rejected_rows_csv(batch), encoding="utf-8")
        if options["commit"]:
            try:
                batch = import_commit(actor=self.actor, batch=batch, all_or_nothing=options["all_or_nothing"])
            except ImportRefusedError as error:
                self.stdout.write(str(error))
            else:
                self.stdout.write(
                    f"Committed: {batch.households_created} households and {batch.people_created} people created, "
                    f"{batch.people_unchanged} people already imported."
                )
        return 1 if batch.rejected_rows else 0

    def export(self, options: dict[str, Any]) -> None:
        output = Path(options["output"])
        file_format = options["format"] or ("xlsx" if output.suffix.lower() == ".xlsx" else "csv")
        try:
            result = registry_export(actor=self.actor, purpose=options["purpose"], identified=options["identified"])
        except PermissionDenied as error:
            raise CommandError(str(error) or "Not allowed.") from None
        if file_format == "xlsx":
            output.write_bytes(export_xlsx(result))
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                for chunk in export_csv(result):
                    handle.write(chunk)
        self.stdout.write(f"Wrote {output}.")
