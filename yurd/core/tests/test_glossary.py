"""The catalogues follow docs/glossary.md: a term listed there is translated one way everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]


def glossary() -> list[tuple[str, str, str]]:
    rows = []
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").split("\n## ")[0].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("English", "") and not set(cells[0]) <= {"-"}:
            rows.append((cells[0], cells[1], cells[2]))
    return rows


def test_the_glossary_has_the_terms_the_issue_names() -> None:
    terms = {english: (az, ru) for english, az, ru in glossary()}
    assert terms["claims"] == ("iddialar", "заявления")
    assert terms["displacement wave"] == ("köçkünlük dalğası", "волна выселения")
    assert terms["any"] == ("istənilən", "любой")


@pytest.mark.parametrize(("language", "column"), [("az", 1), ("ru", 2)])
def test_every_catalogue_uses_the_glossary_word(language: str, column: int) -> None:
    wanted = {row[0]: row[column] for row in glossary() if row[column] not in ("—", "")}
    different = [
        f"{po_path.parts[-5]}: {entry.msgid!r} → {entry.msgstr!r}"
        for po_path in sorted(ROOT.glob(f"yurd/*/locale/{language}/LC_MESSAGES/django.po"))
        for entry in polib.pofile(str(po_path))
        if entry.msgid in wanted and not entry.obsolete and entry.msgstr != wanted[entry.msgid]
    ]
    assert different == []


@pytest.mark.parametrize(
    ("language", "avoided"),
    [("ru", r"(?<!\w)[Ии]ск(и|а|ов|ам)?(?!\w)|изгнани|домохозяйств"), ("az", r"(?i)deportasiya")],
)
def test_no_catalogue_uses_a_word_the_glossary_replaced(language: str, avoided: str) -> None:
    found = [
        f"{po_path.parts[-5]}: {entry.msgstr}"
        for po_path in sorted(ROOT.glob(f"yurd/*/locale/{language}/LC_MESSAGES/django.po"))
        for entry in polib.pofile(str(po_path))
        if not entry.obsolete and re.search(avoided, entry.msgstr)
    ]
    assert found == []
