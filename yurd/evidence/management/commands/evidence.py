"""`yurd evidence add|verify|head|bag`: the vault from the command line."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from yurd.core.management.base import YurdCommand
from yurd.core.permissions import has_permissions
from yurd.evidence import integrity
from yurd.evidence.models import EvidenceItem, EvidenceKind, Sensitivity
from yurd.evidence.packages import PackageError, evidence_package
from yurd.evidence.selectors import evidence_for_targets, targets_of_group, visible_evidence_q
from yurd.evidence.services import evidence_ingest
from yurd.evidence.storage import StorageFullError
from yurd.places.models import Place


class Command(YurdCommand):
    help = "Add files to the evidence vault, verify files and custody log, export the chain head or a BagIt package."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        commands = parser.add_subparsers(dest="subcommand", required=True)

        add = commands.add_parser("add", help="Ingest files; prints each one's SHA-256.")
        add.add_argument("paths", nargs="+", type=Path)
        add.add_argument("--source", default="")
        add.add_argument("--source-reference", default="")
        add.add_argument("--captured", default="", help="Capture date: 1988, 11.1988, 1988-11-23.")
        add.add_argument("--kind", default=EvidenceKind.OTHER, choices=EvidenceKind.values)
        add.add_argument("--sensitivity", default=Sensitivity.INTERNAL, choices=Sensitivity.values)
        add.add_argument("--title", default="", help="Title in English.")
        add.add_argument("--author", default="")
        add.add_argument("--licence", default="")
        add.add_argument("--place", default="", help="Place code from the gazetteer.")

        verify = commands.add_parser("verify", help="Re-hash every file and walk the custody chain.")
        verify.add_argument("--since-head", type=Path, help="A published head file: prove the log only grew.")
        verify.add_argument("--skip-files", action="store_true", help="Check the custody chain only.")

        head = commands.add_parser("head", help="Export the custody chain head for publication.")
        head.add_argument("--output", type=Path, help="Write to this file instead of standard output.")

        bag = commands.add_parser("bag", help="Export a BagIt package.")
        bag.add_argument("--output", type=Path, required=True)
        selection = bag.add_mutually_exclusive_group(required=True)
        selection.add_argument("--all", action="store_true")
        selection.add_argument("--site")
        selection.add_argument("--household")
        selection.add_argument("--claim")
        bag.add_argument("--purpose", default="evidence package", help="Why this export is made (logged).")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"handle_{options['subcommand']}")
        handler(**options)

    def handle_add(self, **options: Any) -> None:
        place = None
        if options["place"]:
            place = Place.objects.filter(code=options["place"]).first()
            if place is None:
                raise CommandError(f"No place with code {options['place']!r}.")
        for path in options["paths"]:
            if not path.is_file():
                raise CommandError(f"{path} is not a file.")
            try:
                with path.open("rb") as handle:
                    result = evidence_ingest(
                        actor=self.actor,
                        stream=handle,
                        original_name=path.name,
                        title_en=options["title"],
                        kind=options["kind"],
                        captured=options["captured"],
                        place=place,
                        source=options["source"],
                        source_reference=options["source_reference"],
                        author=options["author"],
                        licence=options["licence"],
                        sensitivity=options["sensitivity"],
                    )
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
            except StorageFullError as error:
                raise CommandError(f"{path}: {error.message}") from None
            marker = "" if result.created else "  (already in the vault)"
            self.stdout.write(f"{result.item.sha256}  {path}{marker}")

    def _require(self, permission: str) -> None:
        if not has_permissions(self.actor, permission):
            raise CommandError(f"{self.actor.username} lacks the permission {permission}.")

    def handle_verify(self, **options: Any) -> None:
        self._require("evidence.verify_custody")
        problems: list[integrity.Problem] = []
        if not options["skip_files"]:
            problems.extend(integrity.verify_files())
        problems.extend(integrity.verify_chain())
        problems.extend(integrity.verify_items())
        if options["since_head"]:
            published = json.loads(options["since_head"].read_text(encoding="utf-8"))
            problems.extend(integrity.verify_since_head(published))
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found.", returncode=1)
        head = integrity.current_head()
        self.stdout.write(f"OK: files and custody log intact up to entry {head['seq']} ({head['entry_hash']}).")

    def handle_head(self, **options: Any) -> None:
        text = json.dumps(integrity.current_head(), indent=2) + "\n"
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def handle_bag(self, **options: Any) -> None:
        self._require("evidence.export_evidence")
        if options["all"]:
            items = EvidenceItem.objects.filter(visible_evidence_q(self.actor.user))
            selection = "all"
        elif options["site"]:
            items = evidence_for_targets(targets=targets_of_group("site", options["site"]), user=self.actor.user)
            selection = f"site {options['site']}"
        elif options["household"]:
            items = evidence_for_targets(targets=[("registry.household", options["household"])], user=self.actor.user)
            selection = f"household {options['household']}"
        else:
            items = evidence_for_targets(targets=[("claims.claim", options["claim"])], user=self.actor.user)
            selection = f"claim {options['claim']}"
        try:
            bag = evidence_package(
                actor=self.actor, items=items, output=options["output"], purpose=options["purpose"], selection=selection
            )
        except PackageError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Bag written to {bag.path} ({bag.info.get('Yurd-Item-Count')} items).")
