"""Compile every .po catalogue to .mo with polib, so no GNU gettext is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) of Yurd's apps."

    def handle(self, *args: Any, **options: Any) -> None:
        roots = [Path(settings.BASE_DIR) / "yurd", Path(settings.BASE_DIR) / "config"]
        compiled = 0
        for root in roots:
            for po_path in root.rglob("locale/*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        if options["verbosity"] > 1 or compiled:
            self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
