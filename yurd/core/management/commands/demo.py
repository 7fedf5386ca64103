"""`yurd demo`: synthetic demo data and one demo user per role. Safe to run twice.

Each app that has demo data provides `yurd/<app>/demo.py` with
`load(*, households: int, stdout) -> None` and an ORDER number; they run in order.
"""

from __future__ import annotations

import importlib
from argparse import ArgumentParser
from typing import Any

from django.apps import apps

from yurd.accounts.roles import sync_role_groups
from yurd.core.management.base import YurdCommand


class Command(YurdCommand):
    help = "Load synthetic demo data (never real people) and create one demo user per role."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--households", type=int, default=2000, help="Size of the synthetic population.")

    def handle(self, *args: Any, **options: Any) -> None:
        households = options["households"]
        if households < 0:
            self.stderr.write("--households must be zero or more.")
            raise SystemExit(2)
        loaders = []
        for config in apps.get_app_configs():
            if not config.name.startswith("yurd."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            loaders.append((getattr(module, "ORDER", 100), config.name, module))
        # Demo users join the role groups; make sure they exist with today's permissions.
        sync_role_groups()
        for _order, _name, module in sorted(loaders, key=lambda item: (item[0], item[1])):
            module.load(households=households, stdout=self.stdout)
