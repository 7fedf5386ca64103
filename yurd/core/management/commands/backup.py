"""`yurd backup --output FILE`: one consistent archive of the database and the stored files."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from yurd.core.access import log_access
from yurd.core.backup import BackupError, create_backup
from yurd.core.management.base import YurdCommand
from yurd.core.models import AccessAction


def passphrase_from_env(variable: str | None) -> str | None:
    if not variable:
        return None
    value = os.environ.get(variable, "")
    if not value:
        raise CommandError(f"The environment variable {variable} holding the passphrase is empty or not set.")
    return value


class Command(YurdCommand):
    help = "Write one archive (tar.gz) of the database snapshot and every stored file, with their SHA-256 hashes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--output", type=Path, required=True, help="The archive to write.")
        parser.add_argument(
            "--encrypt-passphrase-env",
            metavar="VARIABLE",
            help="Encrypt with the passphrase held in this environment variable (AES-256-GCM, scrypt).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        owner = self.actor.user
        if owner is not None and not owner.has_perm("core.run_maintenance"):
            raise CommandError(f"{owner.get_username()} may not take backups.")
        passphrase = passphrase_from_env(options["encrypt_passphrase_env"])
        try:
            summary = create_backup(options["output"], passphrase=passphrase, say=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        log_access(
            self.actor,
            AccessAction.EXPORT,
            "core.backup",
            purpose="backup",
            detail={"file": summary.path.name, "rows": summary.rows, "files": summary.files},
        )
        self.stdout.write(
            f"Wrote {summary.path} ({summary.size} bytes, {summary.rows} rows, {summary.files} files"
            f"{', encrypted' if summary.encrypted else ''})."
        )
