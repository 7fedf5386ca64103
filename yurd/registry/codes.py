"""Public codes (HH-000001, P-0000001, HL-000001) handed out without collisions."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

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
