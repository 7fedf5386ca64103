"""`yurd testimonies unseal`: an administrator lifts the seal on a withdrawn testimony's media."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from yurd.core.management.base import YurdCommand
from yurd.evidence.models import EvidenceItem
from yurd.testimonies.models import Testimony
from yurd.testimonies.services import testimony_media_unseal


class Command(YurdCommand):
    help = "Testimonies from the command line: unseal one medium of a withdrawn testimony (administrators, --as)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        commands = parser.add_subparsers(dest="subcommand", required=True)
        unseal = commands.add_parser(
            "unseal", help="Show again one recording or medium of a testimony whose consent was withdrawn."
        )
        unseal.add_argument("testimony", help="The testimony's code, e.g. T-000012.")
        unseal.add_argument("item", help="The evidence item's UUID.")
        unseal.add_argument("--reason", required=True, help="Why it may be shown again (kept with the record).")

    def handle(self, *args: Any, **options: Any) -> None:
        if self.actor.user is None:
            raise CommandError("Unsealing is an administrator's act: name them with --as USERNAME.")
        testimony = Testimony.objects.filter(code=options["testimony"]).first()
        if testimony is None:
            raise CommandError(f"No testimony {options['testimony']}.")
        try:
            item = EvidenceItem.objects.filter(public_code=options["item"]).first()
        except ValidationError:
            item = None
        if item is None:
            raise CommandError(f"No evidence item {options['item']}.")
        try:
            testimony_media_unseal(actor=self.actor, testimony=testimony, item=item, reason=options["reason"])
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(f"Unsealed {item.public_code} of {testimony.code}.")
