"""Accessibility basics of the base layout, checked on the login page."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.inputs: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.labelled_by_wrapping: set[str] = set()
        self._open_labels = 0
        self.headings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "label":
            self._open_labels += 1
            if attributes.get("for"):
                self.label_targets.add(str(attributes["for"]))
        elif tag in {"input", "select", "textarea"} and attributes.get("type") not in {"hidden", "submit", "button"}:
            self.inputs.append(attributes)
            if self._open_labels:
                self.labelled_by_wrapping.add(str(attributes.get("id") or attributes.get("name")))
        elif tag == "h1":
            self.headings.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_labels -= 1


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_login_page_labels_every_input_and_declares_its_language(client: Client, language: str) -> None:
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    parser = _Inputs()
    parser.feed(html)

    assert parser.html_lang == language
    assert parser.inputs, "the login page has inputs"
    for attributes in parser.inputs:
        name = attributes.get("id") or attributes.get("name")
        labelled = (
            attributes.get("id") in parser.label_targets
            or name in parser.labelled_by_wrapping
            or attributes.get("aria-label")
            or attributes.get("aria-labelledby")
        )
        assert labelled, f"input {name!r} has no label"
    assert parser.headings == ["h1"]


def test_base_layout_has_a_skip_link_to_main_content(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r'<a class="skip-link" href="#main">', html)
    assert 'id="main"' in html


def test_stylesheet_keeps_focus_visible() -> None:
    css = (Path(__file__).resolve().parents[3] / "static" / "css" / "yurd.css").read_text(encoding="utf-8")
    assert ":focus-visible" in css
    assert "outline: none" not in css
