"""Every URL refuses a POST without a CSRF token; the only exemptions authenticate without cookies.

The URL conf is walked, so a view added later is covered without editing this test.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from rest_framework.views import APIView

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.heritage.services import observation_record
from yurd.heritage.tests.conftest import make_site
from yurd.testing.personas import login_verified

SAMPLES = {
    "int": "1",
    "str": "X-1",
    "slug": "x-1",
    "uuid": "00000000-0000-4000-8000-000000000001",
    "path": "x/1",
    "drf_format_suffix": ".json",
}


def _is_drf(view: Any) -> bool:
    return isinstance(getattr(view, "cls", None), type) and issubclass(view.cls, APIView)


def _is_openrosa(view: Any) -> bool:
    """OpenRosa endpoints: devices authenticate every request (Digest or Basic), sessions need the token."""
    return view.__module__ == "yurd.fieldwork.views" and getattr(view, "csrf_exempt", False)


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # the admin's regex routes; the admin is covered by the CSRF middleware like the rest
        route = re.sub(r"<(?:(\w+):)?\w+>", lambda match: SAMPLES[match.group(1) or "str"], str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            found += _walk(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            found.append(("/" + prefix + route, pattern.callback))
    return found


URLS = _walk(get_resolver().url_patterns)


def test_the_walk_finds_the_state_changing_urls() -> None:
    paths = {path for path, _ in URLS}
    assert len(paths) > 100
    assert {"/registry/imports/new/", "/accounts/login/", "/evidence/add/"} <= paths


def test_every_csrf_exemption_is_a_cookieless_endpoint() -> None:
    exempt = sorted(path for path, view in URLS if getattr(view, "csrf_exempt", False))
    assert exempt, "the walk should see the OpenRosa and API views"
    # Django REST framework exempts its views and checks the token itself for session logins.
    unexpected = [path for path, view in URLS if getattr(view, "csrf_exempt", False) and not _is_drf(view)]
    assert unexpected and all(_is_openrosa(view) for path, view in URLS if path in unexpected)


@pytest.mark.django_db
def test_a_post_without_a_token_is_refused_everywhere(administrator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    login_verified(client, administrator)
    accepted = []
    for path, view in URLS:
        response = client.post(path, {"reason": "forged", "name": "forged"})
        if response.status_code == 405 and _is_openrosa(view):
            continue  # an OpenRosa download that takes no POST at all
        if response.status_code != 403:
            accepted.append((path, response.status_code))
    assert not accepted


@pytest.mark.django_db
def test_openrosa_endpoints_without_a_session_still_ask_devices_to_authenticate() -> None:
    client = Client(enforce_csrf_checks=True)
    for path, view in URLS:
        if _is_openrosa(view):
            assert client.post(path, {}, secure=True).status_code in {401, 405}, path


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/x", "/\\evil.example"])
def test_reviewing_an_observation_never_redirects_off_site(
    client: Client, reviewer: User, heritage_researcher: User, gazetteer: Any, target: str
) -> None:
    """Found here: the review form followed any `next`, an open redirect for phishing."""
    site = make_site(heritage_researcher, gazetteer)
    observation = observation_record(
        actor=Actor(user=heritage_researcher),
        site=site,
        physical_state="destroyed",
        certainty="high",
        method="satellite",
        observed_on="2021-08",
    )
    login_verified(client, reviewer)
    url = reverse("heritage:observation_review", args=[observation.code])
    response = client.post(url, {"decision": "reject", "note": "synthetic", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("heritage:site_detail", args=[site.code])
    inside = client.post(url, {"decision": "reject", "note": "again", "next": "/heritage/review/"})
    assert inside["Location"] == "/heritage/review/"
