"""Base for every `yurd …` command that reads or writes personal data.

Without --as the command runs as the system operator with full rights; with
--as USERNAME that user's roles and scopes apply. Either way, `self.actor` is what
services and selectors receive, so the access log and history name who it was.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yurd.core.actors import Actor, system_actor
from yurd.core.models import Channel


class YurdCommand(BaseCommand):
    actor: Actor

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Act as this user: their role and scope apply, and the logs name them.",
        )

    def execute(self, *args: Any, **options: Any) -> Any:
        self.actor = self.resolve_actor(options.get("as_user"))
        return super().execute(*args, **options)

    @staticmethod
    def resolve_actor(username: str | None) -> Actor:
        if not username:
            return system_actor(channel=Channel.CLI)
        user_model = get_user_model()
        try:
            user = user_model.objects.get(username=username, is_active=True)
        except user_model.DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None
        return Actor(user=user, channel=Channel.CLI)
