"""`yurd restore FILE`: bring a backup back onto an empty database and storage."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yurd.core.backup import BackupError, restore_backup
from yurd.core.management.commands.backup import passphrase_from_env


class Command(BaseCommand):
    help = (
        "Restore a `yurd backup` archive: checks every file's SHA-256 first, refuses a database that "
        "already holds records unless --force, then run `yurd evidence verify`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--passphrase-env", metavar="VARIABLE", help="Environment variable with the passphrase.")
        parser.add_argument("--force", action="store_true", help="Replace what the database and storage hold.")

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = passphrase_from_env(options["passphrase_env"])
        try:
            summary = restore_backup(
                options["archive"], passphrase=passphrase, force=options["force"], say=self.stderr.write
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {summary['rows']} rows ({summary['method']}) and {summary['files']} files. "
            "Now run `yurd evidence verify`."
        )
