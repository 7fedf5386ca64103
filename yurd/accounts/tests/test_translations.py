"""The accounts and project-level catalogues are complete in Azerbaijani and Russian."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = [
    Path(settings.BASE_DIR) / root / "locale" / language / "LC_MESSAGES" / "django.po"
    for root in ("yurd/accounts", "config")
    for language in ("az", "ru")
]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: f"{path.parts[-5]}-{path.parts[-3]}")
def test_catalogue_has_every_string_translated(path: Path) -> None:
    catalogue = polib.pofile(str(path))
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()
    for entry in catalogue.translated_entries():
        # Placeholders survive translation, or the page would show a KeyError instead of a name.
        for placeholder in ("%(name)s", "%(username)s", "%(minutes)s", "%(count)d"):
            if placeholder in entry.msgid:
                translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
                assert all(placeholder in text for text in translations), entry.msgid
