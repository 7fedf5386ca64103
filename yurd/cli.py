"""The `yurd` console script: the project's manage.py."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from config.env import ImproperlyConfiguredError  # noqa: PLC0415 - settings must be chosen before Django loads

    try:
        from django.core.management import execute_from_command_line  # noqa: PLC0415 - settings must be chosen before Django loads

        execute_from_command_line(argv if argv is not None else sys.argv)
    except ImproperlyConfiguredError as error:
        sys.stderr.write(f"yurd: configuration error: {error}\n")
        return 2
    return 0
