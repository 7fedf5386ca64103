"""No English on Azerbaijani and Russian pages: every role's menu pages, a record page of
each kind and the public pages, rendered in az and ru, show no English word of the catalogues.

The English words are those of the catalogues' msgids, less the words that are also in a
translation (codes, names and abbreviations that az or ru text uses as they are: "PDF",
"Yurd", "QC") and a short allow-list with reasons. A page's visible text is its text
outside <script>, <style> and <template>, plus the title and placeholder attributes people read.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import Client

from yurd.accounts.demo import demo_username
from yurd.accounts.models import User
from yurd.core.tests.test_browser_accessibility import ROLE_ORDER, assigned_pages, detail_pages, public_pages
from yurd.testing.personas import login_verified

ROOT = Path(__file__).resolve().parents[3]
# Words of the msgids that az or ru pages may show, and why.
ALLOWED = {
    "yurd": "the system's name",
    "csv": "a file format's name",
    "xlsx": "a file format's name",
    "json": "a file format's name",
    "geojson": "a file format's name",
    "edtf": "the name of a date standard",
    "openrosa": "a protocol's name",
    "xlsform": "a form format's name",
    "kobotoolbox": "a product's name",
    "odk": "a product's name",
    "api": "shown as is in both languages",
    "sha": "a checksum's name (SHA-256)",
    "totp": "a standard's name",
    "wcag": "a standard's name",
    "english": "the language switcher names each language in itself",
    "azərbaycanca": "the language switcher",
    "svg": "a file format's name",
    "pdf": "a file format's name",
}
# Pages whose English words are not the interface's: names of standards and codes, and
# the thesaurus, which shows each term in all three languages. The demo types its records
# in Azerbaijani or Russian, so record pages need no exception. Each entry names the words
# it excuses: any other English word on the page still fails.
KNOWN: dict[str, tuple[set[str], str]] = {
    "/testimonies/thesaurus/": (
        {"cemetery", "expulsion", "journey", "life", "livestock", "mosque", "return", "school", "village"},
        "the thesaurus names every term in English, Azerbaijani and Russian side by side",
    ),
    "/heritage/": ({"linked"}, "Linked Art, the name of the JSON-LD standard of the site's export link"),
    "/claims/cohorts/": ({"dwelling"}, "cohort codes carry the loss category's code"),
    "/audit/changes/": ({"new"}, "a property's provisional code (PR-new-…) in the history row of its creation"),
}
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdrf]|%[sdrf]|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]+>|&[a-z]+;")
_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(_PLACEHOLDER.sub(" ", text))}


def english_words() -> set[str]:
    """The English words of every catalogue that no translation also uses."""
    english: set[str] = set()
    translated: set[str] = set()
    for po_path in [
        *ROOT.glob("yurd/*/locale/*/LC_MESSAGES/django.po"),
        *ROOT.glob("config/locale/*/LC_MESSAGES/django.po"),
    ]:
        for entry in polib.pofile(str(po_path)):
            english |= _words(entry.msgid) | _words(entry.msgid_plural or "")
            translated |= _words(entry.msgstr)
            for form in entry.msgstr_plural.values():
                translated |= _words(form)
    return {word for word in english if len(word) >= 3 and word.isascii()} - translated - set(ALLOWED)


class _VisibleText(HTMLParser):
    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def untranslated(html: str, words: set[str], *, url: str = "", usernames: frozenset[str] = frozenset()) -> set[str]:
    parser = _VisibleText()
    parser.feed(html)
    excused: set[str] = set()
    for prefix, (known, _reason) in KNOWN.items():
        if url.startswith(prefix):
            excused |= known or words
    found = set()
    for part in parser.parts:
        text = part
        for name in usernames:  # people's log-in names are data, not interface
            text = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", " ", text)
        for word in _WORD.findall(text):
            if word.lower() in words and word.lower() not in excused:
                found.add(word)
    return found


def test_a_page_with_an_english_label_fails_and_a_username_does_not() -> None:
    words = english_words()
    page = '<p title="Valuation">Ailə</p><script>var valuation = 1;</script><span>registrar_2 Submitted</span>'
    assert untranslated(page, words, usernames=frozenset({"registrar_2"})) == {"Valuation", "Submitted"}


def test_the_word_list_holds_english_words_and_not_codes_or_translated_names() -> None:
    words = english_words()
    # "household" is not among them: translations name the import column household_ref.
    assert {"claim", "submitted", "valuation", "assessed"} <= words
    assert not {"yurd", "pdf", "csv"} & words


@pytest.mark.django_db
def test_azerbaijani_and_russian_pages_show_no_english_word() -> None:
    call_command("demo", households=8, stdout=io.StringIO())
    words = english_words()
    menu, records = assigned_pages(), detail_pages()
    usernames = frozenset(User.objects.values_list("username", flat=True))
    found: dict[str, list[str]] = {}
    pages = 0
    for language in ("az", "ru"):
        for role in ROLE_ORDER:
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.cookies["django_language"] = language
            login_verified(client, User.objects.get(username=demo_username(role)))
            for url in ["/", *menu[role], *records[role]]:
                response = client.get(url)
                assert response.status_code == 200, f"{role.value} {url}: {response.status_code}"
                pages += 1
                if english := untranslated(response.content.decode(), words, url=url, usernames=usernames):
                    found[f"{language} {role.value} {url}"] = sorted(english)
        public = Client(HTTP_ACCEPT_LANGUAGE=language)
        public.cookies["django_language"] = language
        for url in public_pages():
            response = public.get(url)
            pages += 1
            if english := untranslated(response.content.decode(), words, url=url, usernames=usernames):
                found[f"{language} public {url}"] = sorted(english)
    assert pages > 50
    assert found == {}, "\n".join(f"{page}: {' '.join(words)}" for page, words in found.items())
