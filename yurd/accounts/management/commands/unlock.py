"""`yurd unlock USERNAME`: lift a lockout after failed log-ins (and optionally reset two-factor)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yurd.accounts import services
from yurd.accounts.models import User


class Command(BaseCommand):
    help = "Clear failed log-in attempts that locked USERNAME out."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--reset-two-factor",
            action="store_true",
            help="Also remove the user's two-factor devices (a lost phone); they enrol again at next log-in.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        cleared = services.user_unlock(username=username)
        self.stdout.write(f"{username}: {cleared} failed log-in attempt(s) cleared; the account is unlocked.")
        if options["reset_two_factor"]:
            removed = services.user_reset_two_factor(user=user)
            self.stdout.write(f"{username}: {removed} two-factor device(s) removed; they enrol again at next log-in.")
