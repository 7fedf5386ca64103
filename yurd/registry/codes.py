"""Every public code and number handed out without collisions: one scheme, one table.

Households, people and heir lines (HH-000001, P-0000001, HL-000001), heritage sites and
observations (HS-000001, OBS-000001), testimonies, and claims' case numbers (a sequence
per year, CL-2026-000001) all draw from `CodeSequence` rows through `allocate_numbers`.
"""

from __future__ import annotations

import re

from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Length

from yurd.registry.models import CodeSequence

FORMATS = {"household": "HH-{:06d}", "person": "P-{:07d}", "heir_line": "HL-{:06d}"}


def allocate_numbers(name: str, count: int = 1) -> range:
    """Reserve `count` consecutive numbers; must run inside the caller's transaction.

    The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite) before
    reading, so concurrent callers are serialised and never share a number.
    """
    if count < 1:
        return range(0)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_numbers must run inside transaction.atomic()")
    updated = CodeSequence.objects.filter(name=name).update(last=F("last") + count)
    if not updated:
        CodeSequence.objects.get_or_create(name=name)
        CodeSequence.objects.filter(name=name).update(last=F("last") + count)
    last = CodeSequence.objects.values_list("last", flat=True).get(name=name)
    return range(last - count + 1, last + 1)


def allocate_codes(name: str, count: int = 1) -> list[str]:
    template = FORMATS[name]
    return [template.format(number) for number in allocate_numbers(name, count)]


def allocate_code(name: str) -> str:
    return allocate_codes(name, 1)[0]


def allocate_unused_code(name: str, template: str, model: type[models.Model]) -> str:
    """The next code of sequence `name` (template "HS-{:06d}") that no row of `model` holds yet.

    For tables whose rows may also carry codes from elsewhere (given by hand, by the demo, or
    handed out before the sequence existed): when the next code is taken, the sequence moves
    past the highest number of that form in the table. Must run inside a transaction.
    """
    manager = model._default_manager
    while True:
        (number,) = allocate_numbers(name, 1)
        code = template.format(number)
        if not manager.filter(code=code).exists():
            return code
        prefix = template.split("{", 1)[0]
        highest = (
            manager.filter(code__regex=rf"^{re.escape(prefix)}[0-9]+$")
            .order_by(Length("code").desc(), "-code")
            .values_list("code", flat=True)
            .first()
        )
        if highest is not None:
            CodeSequence.objects.filter(name=name, last__lt=int(highest.removeprefix(prefix))).update(
                last=int(highest.removeprefix(prefix))
            )
