"""Every read of households and people starts from the reader-aware entry point.

`Household.objects` and `Person.objects` must be followed by `.visible_to(user)` (what a
reader may see), `.unscoped()` (every record: writes, bookkeeping, the system, or keys
already taken from a scoped list) with its reason in a comment on that line or just above,
or `.none()`. A new direct read (`Person.objects.filter(...)`) fails this test, so that a
query without a reader stays visibly the exception (issue 15).

The check reads the source text: it sees the managers by name, not a model reached another
way (`apps.get_model(...)`, `_default_manager`) nor related managers (`household.members`),
which start from a record the caller already resolved for its reader.
"""

from __future__ import annotations

import re
from pathlib import Path

import yurd

ROOT = Path(yurd.__file__).parent
_READ = re.compile(r"\b(?:Household|Person)\.objects\b(?!\s*\.(?:visible_to\(|unscoped\(\)|none\(\)))")
_UNSCOPED = re.compile(r"\b(?:Household|Person)\.objects\s*\.unscoped\(\)")
REASON_LINES = 3  # a reason may stand on the line or up to this many lines above


def problems(text: str, name: str = "<source>") -> list[str]:
    lines = text.splitlines()
    found = []
    for match in _READ.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.append(f"{name}:{line}: a direct read; use .visible_to(user), or .unscoped() with a reason")
    for match in _UNSCOPED.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        context = lines[max(0, line - 1 - REASON_LINES) : line]
        if not any("#" in text_line for text_line in context):
            found.append(f"{name}:{line}: .unscoped() without a reason in a comment")
    return found


def _sources() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts and "migrations" not in path.relative_to(ROOT).parts
    )


def test_every_read_of_households_and_people_names_its_reader_or_its_reason() -> None:
    found = [problem for path in _sources() for problem in problems(path.read_text(), str(path.relative_to(ROOT)))]
    assert not found, "\n".join(found)


def test_the_check_finds_a_direct_read_and_an_unexplained_unscoped_one() -> None:
    assert problems("people = Person.objects.filter(code=code)\n")
    assert problems("households = Household.objects\\\n    .all()\n")
    assert problems("x = 1\ny = 2\nz = 3\nw = 4\nPerson.objects.unscoped().get(pk=1)\n")
    assert not problems("# a write: lock\nPerson.objects.unscoped().select_for_update().get(pk=1)\n")
    assert not problems("Household.objects.visible_to(user).filter(code=code)\nPerson.objects.none()\n")
    assert not problems("Person.objects\n    .visible_to(user)\n")
