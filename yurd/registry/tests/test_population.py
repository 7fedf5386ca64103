"""The number of families progress is measured against: data an administrator sets, with
its source and history, shown on the claims progress page and the dashboard."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.core.models import Channel
from yurd.registry.models import FigureKind, PopulationFigure
from yurd.registry.services import population_figure_set
from yurd.testing.personas import login_verified

pytestmark = pytest.mark.django_db

FORM = {
    "families": "50000",
    "kind": "estimate",
    "source": "State Committee for Refugees, report of 12 March 2025",
    "interval_low": "46000",
    "interval_high": "55000",
    "reason": "Committee report received",
}


def _as(user: User) -> Actor:
    return Actor(user=user, channel=Channel.WEB)


def test_an_administrator_sets_the_figure_and_the_change_is_in_its_history(administrator: User) -> None:
    client = Client()
    login_verified(client, administrator)
    response = client.post(reverse("registry:population"), FORM)
    assert response.status_code == 302
    figure = PopulationFigure.objects.get()
    assert (figure.families, figure.kind, figure.interval_low, figure.interval_high) == (
        50000,
        FigureKind.ESTIMATE,
        46000,
        55000,
    )
    client.post(reverse("registry:population"), {**FORM, "families": "52000", "reason": "Corrected total"})
    history = list(figure.history.order_by("history_date"))
    assert [row.families for row in history] == [50000, 52000]
    assert [row.history_user for row in history] == [administrator, administrator]
    assert [row.history_change_reason for row in history] == ["Committee report received", "Corrected total"]
    page = client.get(reverse("registry:population")).content.decode()
    assert "State Committee for Refugees, report of 12 March 2025" in page and "Corrected total" in page


@pytest.mark.parametrize("persona", ["registrar", "analyst", "assessor", "reviewer", "auditor"])
def test_anyone_but_an_administrator_is_refused_and_nothing_is_written(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client = Client()
    login_verified(client, user)
    assert client.get(reverse("registry:population")).status_code == 403
    assert client.post(reverse("registry:population"), FORM).status_code == 403
    with pytest.raises(PermissionDenied):
        population_figure_set(actor=_as(user), families=1, kind="count", source="x", reason="y")
    assert not PopulationFigure.objects.exists()
    assert not PopulationFigure.history.exists()


def test_an_interval_that_misses_the_figure_or_a_missing_reason_is_refused(administrator: User) -> None:
    with pytest.raises(ValidationError, match="interval must contain"):
        population_figure_set(
            actor=_as(administrator),
            families=50000,
            kind="estimate",
            source="Report",
            interval_low=51000,
            interval_high=60000,
            reason="New report",
        )
    with pytest.raises(ValidationError, match="why"):
        population_figure_set(actor=_as(administrator), families=5, kind="count", source="Report", reason=" ")
    assert not PopulationFigure.objects.exists()


def test_the_progress_page_and_the_dashboard_show_the_figure_with_its_source(
    administrator: User, analyst: User
) -> None:
    population_figure_set(
        actor=_as(administrator),
        families=50000,
        kind="estimate",
        source="State Committee for Refugees, 2025",
        interval_low=46000,
        interval_high=55000,
        reason="Committee report",
    )
    client = Client()
    login_verified(client, analyst)
    progress = client.get(reverse("claims:progress")).content.decode()
    assert "0 assessed of 50,000 families (0 %) — estimate, source: State Committee for Refugees, 2025" in progress
    assert "interval 46,000 to 55,000" in progress
    assert reverse("registry:population") not in progress  # an analyst may not change it
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="dashboard-denominator"' in dashboard
    assert "0 of 50,000" in dashboard and "estimate, source: State Committee for Refugees, 2025" in dashboard


def test_without_a_figure_the_progress_page_offers_an_administrator_to_set_one(administrator: User) -> None:
    client = Client()
    login_verified(client, administrator)
    page = client.get(reverse("claims:progress")).content.decode()
    assert "of 50,000" not in page and reverse("registry:population") in page
