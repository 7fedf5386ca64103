"""`yurd demo`: synthetic demo data and one demo user per role. Safe to run twice.

Each app that has demo data provides `yurd/<app>/demo.py` with
`load(*, households: int, stdout) -> None` and an ORDER number; they run in order.
Loading the default 2,000 households takes minutes, so each step says when it starts,
that it is still running, and what it added in how long.
"""

from __future__ import annotations

import importlib
import threading
import time
from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core.management.base import OutputWrapper

from yurd.core.management.base import YurdCommand
from yurd.core.roles import sync_role_groups


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
        steps = sorted(loaders, key=lambda item: (item[0], item[1]))
        started = time.monotonic()
        for number, (_order, name, module) in enumerate(steps, start=1):
            label = f"[{number}/{len(steps)}] {name.removeprefix('yurd.')}"
            self.stdout.write(f"{label}: loading…")
            self.stdout.flush()
            before = row_counts(name)
            step_started = time.monotonic()
            with heartbeat(self.stdout, label, every=HEARTBEAT_SECONDS):
                module.load(households=households, stdout=self.stdout)
            added = describe_added(before, row_counts(name))
            self.stdout.write(
                f"{label}: done in {time.monotonic() - step_started:.1f} s{f' ({added})' if added else ''}"
            )
        self.stdout.write(f"Demo data loaded in {time.monotonic() - started:.0f} s.")


# A long step (the claims of 2,000 households take minutes) prints that it is alive this often.
HEARTBEAT_SECONDS = 15.0


@contextmanager
def heartbeat(stdout: OutputWrapper, label: str, *, every: float) -> Iterator[None]:
    """Print "still loading" every `every` seconds until the block ends."""
    stop = threading.Event()
    started = time.monotonic()

    def beat() -> None:
        while not stop.wait(every):
            stdout.write(f"{label}: still loading ({time.monotonic() - started:.0f} s)…")
            stdout.flush()

    thread = threading.Thread(target=beat, name="demo-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def row_counts(app_name: str) -> dict[str, int]:
    """Rows per model of one app (its change-history tables left out), by plural name."""
    config = next(config for config in apps.get_app_configs() if config.name == app_name)
    return {
        str(model._meta.verbose_name_plural): model._base_manager.count()
        for model in config.get_models()
        if model._meta.managed and not model._meta.proxy and not model.__name__.startswith("Historical")
    }


def describe_added(before: dict[str, int], after: dict[str, int], *, most: int = 4) -> str:
    """What grew most, as "+2,000 households, +8,713 people" ("" when nothing grew)."""
    grown = sorted(
        ((after[name] - before.get(name, 0), name) for name in after if after[name] > before.get(name, 0)),
        reverse=True,
    )
    return ", ".join(f"+{count:,} {name}" for count, name in grown[:most])
