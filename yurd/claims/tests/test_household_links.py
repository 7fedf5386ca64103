"""The household page leads to the household's claims and return intentions, within the reader's scope."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.tests.conftest import World, login, new_claim


def test_the_household_page_links_its_claims_and_return_intentions(world: World, registrar: User) -> None:
    own = new_claim(world)
    other = new_claim(world, household=world.household_b)
    client = login(Client(), registrar)
    page = client.get(reverse("registry:household_detail", args=[world.household_a.code])).content.decode()
    claims_link = f"{reverse('claims:claim_list')}?q={world.household_a.code}"
    assert f'href="{claims_link}"' in page
    assert f'href="{reverse("returns:household_intentions", args=[world.household_a.code])}"' in page
    assert f'href="{reverse("claims:claim_create")}?household={world.household_a.code}"' in page
    listed = client.get(claims_link).content.decode()
    assert own.case_number in listed and other.case_number not in listed
    # The claims of a household outside her scope are not listed by its code either.
    outside = client.get(f"{reverse('claims:claim_list')}?q={world.household_b.code}").content.decode()
    assert other.case_number not in outside
    assert client.get(reverse("registry:household_detail", args=[world.household_b.code])).status_code == 404
    # "New claim" from the household page goes straight to naming the claimants.
    filing = client.get(f"{reverse('claims:claim_create')}?household={world.household_a.code}").content.decode()
    assert f'value="{world.head_a.code}"' in filing


def test_the_links_follow_the_readers_permissions(world: World, analyst: User) -> None:
    """An analyst sees aggregates only: no claims, no household pages."""
    client = login(Client(), analyst)
    response = client.get(reverse("registry:household_detail", args=[world.household_a.code]))
    assert response.status_code in (403, 404) or reverse("claims:claim_list") not in response.content.decode()
