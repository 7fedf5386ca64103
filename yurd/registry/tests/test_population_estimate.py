"""How many displaced families: multiple systems estimation over the registry's own
registration lists, kept and citable as the figure progress is measured against."""

from __future__ import annotations

import io
import json
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.core.models import Channel
from yurd.registry.capture import family_histories, registration_lists
from yurd.registry.models import Household, Person, PersonName, PopulationEstimate, PopulationFigure
from yurd.registry.services import population_estimate_compute
from yurd.testing.personas import login_verified

pytestmark = pytest.mark.django_db

LISTS = ("Ministry register 1992", "Community list 2005", "Field survey 2024")
TRUE_FAMILIES = 600
CAPTURE = (0.5, 0.4, 0.3)


def _as(user: User) -> Actor:
    return Actor(user=user, channel=Channel.WEB)


def _family(number: int, lists: list[str]) -> None:
    """A family registered from its first list; the others named its head, linked at import
    (a "source spelling" name) or by a later merge (a "merged record" name)."""
    household = Household.objects.create(code=f"HH-{number:06d}", source=lists[0], source_ref=f"F{number}")
    head = Person.objects.create(
        code=f"P-{number:07d}", household=household, surname="Əliyev", source=lists[0], source_ref=f"F{number}-1"
    )
    for index, name in enumerate(lists[1:]):
        if index % 2 == 0:
            PersonName.objects.create(person=head, surname="Алиев", kind="source spelling", source=f"{name} #R{number}")
        else:
            PersonName.objects.create(
                person=head, surname="Aliyev", kind="merged record", source=f"P-9{number:06d} {name} R{number}"
            )


@pytest.fixture
def three_lists() -> int:
    """Families named by three independent lists; returns how many are on at least one."""
    rng = random.Random(7)
    observed = 0
    for number in range(1, TRUE_FAMILIES + 1):
        on = [name for name, chance in zip(LISTS, CAPTURE, strict=True) if rng.random() < chance]
        if on:
            observed += 1
            _family(number, on)
    return observed


def test_families_carry_every_list_that_named_them(three_lists: int) -> None:
    found = family_histories()
    assert len(found) == three_lists
    counts = dict(registration_lists(found))
    assert set(counts) == set(LISTS)
    # A household left without members (merged away) is not a family of its own.
    Household.objects.create(code="HH-EMPTY", source=LISTS[0], source_ref="empty")
    assert len(family_histories()) == three_lists


def test_an_administrator_estimates_the_families_from_the_lists_and_keeps_it(
    three_lists: int, administrator: User
) -> None:
    kept = population_estimate_compute(
        actor=_as(administrator), lists=list(LISTS), method="stepwise", bootstrap=200, seed=3, note="test"
    )
    assert kept.observed == three_lists
    assert kept.lists == list(LISTS)
    assert kept.estimate >= kept.observed
    assert abs(kept.estimate - TRUE_FAMILIES) / TRUE_FAMILIES < 0.1
    assert kept.interval_low is not None and kept.interval_high is not None
    assert kept.interval_low <= TRUE_FAMILIES <= kept.interval_high
    assert kept.bootstrap_samples == 200 and kept.method == "stepwise" and kept.computed_by == administrator
    assert sum(count for _pattern, count in kept.counts) == three_lists


def test_the_estimate_is_cited_as_the_figure_from_the_page(three_lists: int, administrator: User) -> None:
    client = Client()
    login_verified(client, administrator)
    response = client.post(
        reverse("registry:population_estimate"),
        {"lists": list(LISTS), "method": "fixed", "bootstrap": "100", "seed": "1", "note": ""},
    )
    assert response.status_code == 302
    kept = PopulationEstimate.objects.get()
    page = client.get(reverse("registry:population") + f"?cite={kept.pk}").content.decode()
    assert f'value="{round(kept.estimate)}"' in page and "Multiple systems estimate E-" in page
    form = {
        "families": str(round(kept.estimate)),
        "kind": "estimate",
        "source": f"Multiple systems estimate {kept.public_code} from three registration lists",
        "interval_low": str(round(kept.interval_low or 0)),
        "interval_high": str(round(kept.interval_high or 0)),
        "estimate": str(kept.pk),
        "reason": "Estimate from the registration lists",
    }
    assert client.post(reverse("registry:population"), form).status_code == 302
    figure = PopulationFigure.objects.get()
    assert figure.estimate == kept and figure.families == round(kept.estimate)
    progress = client.get(reverse("claims:progress")).content.decode()
    assert f"of {round(kept.estimate):,} families" in progress and kept.public_code in progress


def test_fewer_than_two_lists_or_no_estimate_is_refused_and_nothing_is_kept(
    three_lists: int, administrator: User
) -> None:
    with pytest.raises(ValidationError, match="at least two"):
        population_estimate_compute(actor=_as(administrator), lists=[LISTS[0]])
    with pytest.raises(ValidationError, match="No family is on the list"):
        population_estimate_compute(actor=_as(administrator), lists=[LISTS[0], "Nobody's list"])
    assert not PopulationEstimate.objects.exists()


def test_two_lists_with_nobody_in_common_give_no_estimate(db: None, administrator: User) -> None:
    for number in range(1, 21):
        _family(number, [LISTS[number % 2]])
    with pytest.raises(ValidationError, match="No estimate from these lists"):
        population_estimate_compute(actor=_as(administrator), lists=[LISTS[0], LISTS[1]], bootstrap=0)
    assert not PopulationEstimate.objects.exists()


@pytest.mark.parametrize("persona", ["registrar", "analyst"])
def test_only_an_administrator_estimates(three_lists: int, persona: str, request: pytest.FixtureRequest) -> None:
    user: User = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        population_estimate_compute(actor=_as(user), lists=list(LISTS))
    client = Client()
    login_verified(client, user)
    response = client.post(reverse("registry:population_estimate"), {"lists": list(LISTS), "method": "fixed"})
    assert response.status_code == 403
    assert not PopulationEstimate.objects.exists()


def test_the_command_estimates_from_the_registration_lists(three_lists: int) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("estimate", "--registry", "--method", "fixed", "--json", stdout=out, stderr=err)
    result = json.loads(out.getvalue())
    assert result["observed"] == three_lists
    assert set(result["list_names"].values()) == set(LISTS)
    assert abs(result["estimate"] - TRUE_FAMILIES) / TRUE_FAMILIES < 0.1
    with pytest.raises(CommandError, match="At least two registration lists") as refused:
        call_command("estimate", "--registry", "--list", LISTS[0], stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 2


def test_a_list_that_names_every_family_is_named_and_left_out(three_lists: int, administrator: User) -> None:
    """The demo's own "everyone" list (or the register itself) names every family: with it the
    estimate lies at infinity. The service names it; the command leaves it out unless asked."""
    everyone = "Register of everyone"
    for head in Person.objects.unscoped().all():  # one person per synthetic family
        PersonName.objects.create(person=head, surname="Əliyev", kind="source spelling", source=f"{everyone} #1")
    assert dict(registration_lists())[everyone] == three_lists
    with pytest.raises(ValidationError, match="names every family"):
        population_estimate_compute(actor=_as(administrator), lists=[everyone, *LISTS], bootstrap=0)
    assert not PopulationEstimate.objects.exists()

    out, err = io.StringIO(), io.StringIO()
    call_command("estimate", "--registry", "--method", "fixed", "--json", stdout=out, stderr=err)
    result = json.loads(out.getvalue())
    assert set(result["list_names"].values()) == set(LISTS)
    assert everyone in err.getvalue()
    with pytest.raises(CommandError, match="names every family") as refused:
        call_command("estimate", "--registry", "--list", everyone, "--list", LISTS[0], stdout=out, stderr=err)
    assert refused.value.returncode == 2
