"""The annual report: a PDF of suppressed figures with SVG charts, in each language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.reports.charts import bar_chart_svg
from yurd.reports.tests.data import all_names, populate
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def test_bar_chart_escapes_labels_and_marks_hidden_values() -> None:
    svg = bar_chart_svg(["<b>A</b>", "B"], [10, None], title="T & U")
    assert "&lt;b&gt;A&lt;/b&gt;" in svg
    assert "T &amp; U" in svg
    assert ">x<" in svg


def test_annual_report_is_a_pdf(client: Client, gazetteer: Gazetteer, analyst: User) -> None:
    populate(gazetteer)
    client.force_login(analyst)
    response = client.get(reverse("reports:annual_report"), HTTP_ACCEPT_LANGUAGE="az")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Annual report"), ("az", "İllik hesabat"), ("ru", "Годовой отчёт")]
)
def test_annual_report_in_each_language_holds_no_names(
    client: Client, gazetteer: Gazetteer, analyst: User, language: str, heading: str
) -> None:
    populate(gazetteer)
    client.force_login(analyst)
    response = client.get(reverse("reports:annual_report"), {"format": "html"}, HTTP_ACCEPT_LANGUAGE=language)
    content = response.content.decode()
    assert heading in content
    assert "<svg" in content
    for name in all_names():
        assert name not in content
