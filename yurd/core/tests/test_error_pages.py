"""Wrong or forged input gets a clear 4xx page in the user's language, never a 500."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from yurd.accounts.models import User

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_the_not_found_page(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="#main"' in html  # inside the base layout, skip link and all


@pytest.mark.parametrize(("language", "title"), [("az", "Səhifə tapılmadı"), ("ru", "Страница не найдена")])
def test_the_not_found_page_speaks_the_users_language(client: Client, language: str, title: str) -> None:
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert title in response.content.decode()


def test_a_refused_page_explains_itself(client: Client, analyst: User) -> None:
    client.force_login(analyst)
    response = client.get("/audit/access/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_a_post_without_csrf_token_gets_the_expired_form_page(registrar: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(registrar)

    response = client.post("/jobs/", {"kind": "integrity_check"})

    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_a_forged_login_post_is_refused_not_crashed() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y", "csrfmiddlewaretoken": "forged"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/jobs/%00/", {}),
        ("get", "/jobs/", {"page": "-1"}),
        ("get", "/jobs/", {"page": "9" * 40}),
        ("get", "/audit/access/", {"date_to": "2020-13-45"}),
        ("post", "/i18n/setlang/", {"language": "xx-evil", "next": "https://evil.example/"}),
        ("post", "/i18n/setlang/", {"language": "az" * 1000}),
        ("put", "/jobs/", {}),
        ("delete", "/audit/access/", {}),
    ],
)
def test_garbage_input_gets_a_client_error_or_a_safe_redirect(
    client: Client, registrar: User, method: str, url: str, data: dict[str, str]
) -> None:
    client.force_login(registrar)
    response = getattr(client, method)(url, data)
    assert response.status_code < 500
    if response.status_code in {301, 302}:
        assert not response["Location"].startswith("https://evil.example")


def test_an_overlong_header_value_or_bad_host_is_a_client_error(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("en", "Something went wrong"), ("ru", "Что-то пошло не так")])
def test_the_server_error_page_renders_without_a_request(language: str, text: str) -> None:
    # Django renders 500.html with no context; it must not need the session or the database.
    with translation.override(language):
        html = render_to_string("500.html")
    assert text in html
    assert f'lang="{language}"' in html
