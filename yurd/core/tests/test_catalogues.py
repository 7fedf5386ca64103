"""Every app ships complete Azerbaijani and Russian catalogues."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

YURD = Path(__file__).resolve().parents[2]
APPS = sorted(path.name for path in YURD.iterdir() if (path / "apps.py").exists())


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("language", ["az", "ru"])
def test_catalogue_is_complete(app: str, language: str) -> None:
    po_path = YURD / app / "locale" / language / "LC_MESSAGES" / "django.po"
    assert po_path.exists(), f"{app} has no {language} catalogue"
    catalogue = polib.pofile(str(po_path))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("language", ["az", "ru"])
def test_every_plural_message_has_every_form_of_its_language(app: str, language: str) -> None:
    # Russian has four forms: with only two, "5 rows" fell back to English. Django's
    # compilemessages does not check this (msgfmt -c does).
    catalogue = polib.pofile(str(YURD / app / "locale" / language / "LC_MESSAGES" / "django.po"))
    forms = int(catalogue.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [entry.msgid for entry in catalogue if entry.msgid_plural and len(entry.msgstr_plural) != forms]
    assert short == []
