"""HTTP Digest for OpenRosa clients: the exchange computed here by the RFC, not by our code."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from yurd.accounts.services import user_unlock
from yurd.core.actors import Actor
from yurd.fieldwork.models import DeviceCredential
from yurd.fieldwork.services import device_password_set
from yurd.fieldwork.tests.conftest import basic
from yurd.testing.personas import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

DEVICE_PASSWORD = "tablet-north-2025"


def _challenges(header: str) -> dict[str, dict[str, str]]:
    """The Digest challenges of a WWW-Authenticate value, by algorithm."""
    found = {}
    for part in re.split(r",\s*(?=Digest |Basic )", header):
        if not part.startswith("Digest "):
            continue
        params = dict(re.findall(r'(\w+)="?([^",]*)"?', part[7:]))
        found[params["algorithm"]] = params
    return found


def _h(algorithm: str, text: str) -> str:
    name = {"MD5": "md5", "SHA-256": "sha256"}[algorithm]
    return hashlib.new(name, text.encode()).hexdigest()


def _authorization(
    challenge: dict[str, str], *, username: str, password: str, method: str, uri: str, nc: str = "00000001"
) -> str:
    """RFC 7616 section 3.4.1 with qop=auth."""
    algorithm = challenge["algorithm"]
    cnonce = "0a4f113b"
    ha1 = _h(algorithm, f"{username}:{challenge['realm']}:{password}")
    ha2 = _h(algorithm, f"{method}:{uri}")
    response = _h(algorithm, f"{ha1}:{challenge['nonce']}:{nc}:{cnonce}:auth:{ha2}")
    return (
        f'Digest username="{username}", realm="{challenge["realm"]}", nonce="{challenge["nonce"]}", '
        f'uri="{uri}", algorithm={algorithm}, response="{response}", opaque="{challenge["opaque"]}", '
        f'qop=auth, nc={nc}, cnonce="{cnonce}"'
    )


@pytest.fixture
def device_user(teams):
    device_password_set(actor=Actor(user=None), user=teams["north_user"], password=DEVICE_PASSWORD)
    return teams["north_user"]


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
def test_digest_exchange_succeeds_over_plain_http(client, device_user, algorithm):
    url = reverse("fieldwork:form_list")
    first = client.get(url)
    assert first.status_code == 401
    challenge = _challenges(first["WWW-Authenticate"])[algorithm]
    assert challenge["qop"] == "auth"
    header = _authorization(challenge, username="collector-nigar", password=DEVICE_PASSWORD, method="GET", uri=url)
    response = client.get(url, HTTP_AUTHORIZATION=header)
    assert response.status_code == 200
    assert b"<formID>yurd_household</formID>" in response.content


def test_wrong_device_password_fails(client, device_user):
    url = reverse("fieldwork:form_list")
    challenge = _challenges(client.get(url)["WWW-Authenticate"])["MD5"]
    header = _authorization(challenge, username="collector-nigar", password="not-the-password", method="GET", uri=url)
    response = client.get(url, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Digest ")


def test_account_password_is_not_a_device_password(client, device_user):
    url = reverse("fieldwork:form_list")
    challenge = _challenges(client.get(url)["WWW-Authenticate"])["SHA-256"]
    header = _authorization(challenge, username="collector-nigar", password=PERSONA_PASSWORD, method="GET", uri=url)
    assert client.get(url, HTTP_AUTHORIZATION=header).status_code == 401


def test_response_for_another_uri_or_replayed_count_is_refused(client, device_user):
    url = reverse("fieldwork:form_list")
    challenge = _challenges(client.get(url)["WWW-Authenticate"])["MD5"]
    other = reverse("fieldwork:form_households", args=["yurd_household"])
    signed_elsewhere = _authorization(
        challenge, username="collector-nigar", password=DEVICE_PASSWORD, method="GET", uri=url
    )
    assert client.get(other, HTTP_AUTHORIZATION=signed_elsewhere).status_code == 401
    header = _authorization(challenge, username="collector-nigar", password=DEVICE_PASSWORD, method="GET", uri=url)
    assert client.get(url, HTTP_AUTHORIZATION=header).status_code == 200
    replay = client.get(url, HTTP_AUTHORIZATION=header)
    assert replay.status_code == 401
    assert "stale=true" in replay["WWW-Authenticate"]
    following = _authorization(
        challenge, username="collector-nigar", password=DEVICE_PASSWORD, method="GET", uri=url, nc="00000002"
    )
    assert client.get(url, HTTP_AUTHORIZATION=following).status_code == 200


def test_forged_nonce_is_refused(client, device_user):
    url = reverse("fieldwork:form_list")
    challenge = _challenges(client.get(url)["WWW-Authenticate"])["MD5"]
    challenge["nonce"] = "MTc5NTg1MjgyNC4wMDowMA=="
    header = _authorization(challenge, username="collector-nigar", password=DEVICE_PASSWORD, method="GET", uri=url)
    assert client.get(url, HTTP_AUTHORIZATION=header).status_code == 401


def test_only_digest_hashes_are_stored(device_user):
    credential = DeviceCredential.objects.get(user=device_user)
    assert credential.ha1_md5 == _h("MD5", f"collector-nigar:Yurd:{DEVICE_PASSWORD}")
    assert DEVICE_PASSWORD not in f"{credential.ha1_md5}{credential.ha1_sha256}"


@override_settings(YURD_OPENROSA_BASIC=False)
def test_basic_can_be_switched_off(client, device_user):
    url = reverse("fieldwork:form_list")
    response = client.get(url, **basic("collector-nigar"))
    assert response.status_code == 401
    assert "Basic" not in response["WWW-Authenticate"]


def test_a_collector_may_not_set_another_users_device_password(teams):
    with pytest.raises(PermissionDenied):
        device_password_set(actor=Actor(user=teams["south_user"]), user=teams["north_user"], password=DEVICE_PASSWORD)
    assert device_password_set(actor=Actor(user=teams["south_user"]), user=teams["south_user"])


def test_digest_without_qop_is_refused_so_a_captured_request_cannot_be_replayed(client, device_user):
    url = reverse("fieldwork:form_list")
    challenge = _challenges(client.get(url)["WWW-Authenticate"])["MD5"]
    ha1 = _h("MD5", f"collector-nigar:{challenge['realm']}:{DEVICE_PASSWORD}")
    ha2 = _h("MD5", f"GET:{url}")
    response = _h("MD5", f"{ha1}:{challenge['nonce']}:{ha2}")  # RFC 2069: no qop, no count
    header = (
        f'Digest username="collector-nigar", realm="{challenge["realm"]}", nonce="{challenge["nonce"]}", '
        f'uri="{url}", algorithm=MD5, response="{response}", opaque="{challenge["opaque"]}"'
    )
    for _attempt in range(2):  # the original and its replay
        assert client.get(url, HTTP_AUTHORIZATION=header).status_code == 401


def test_wrong_device_passwords_lock_the_device_user(client, device_user, teams, settings):
    url = reverse("fieldwork:form_list")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.get(url, **basic("collector-nigar", "guessed-password")).status_code == 401
    challenge = _challenges(client.get(url)["WWW-Authenticate"])["SHA-256"]
    wrong = _authorization(challenge, username="collector-nigar", password="guess-2", method="GET", uri=url)
    assert client.get(url, HTTP_AUTHORIZATION=wrong).status_code == 429  # the limit-th failure, by Digest
    # Locked: the right password no longer works, by Basic or by Digest.
    assert client.get(url, **basic("collector-nigar")).status_code == 429
    challenge = _challenges(client.get(url)["WWW-Authenticate"])["MD5"]
    right = _authorization(challenge, username="collector-nigar", password=DEVICE_PASSWORD, method="GET", uri=url)
    assert client.get(url, HTTP_AUTHORIZATION=right).status_code == 429
    # Another device is not locked with it.
    assert client.get(url, **basic("collector-samir")).status_code == 200
    user_unlock(username="collector-nigar")
    assert client.get(url, **basic("collector-nigar")).status_code == 200


def test_a_right_password_clears_earlier_mistakes(client, device_user, settings):
    url = reverse("fieldwork:form_list")
    for _round in range(2):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            client.get(url, **basic("collector-nigar", "guessed-password"))
        assert client.get(url, **basic("collector-nigar")).status_code == 200
