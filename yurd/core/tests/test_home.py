import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_requires_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("language", "expected"), [("en", "Log in"), ("az", "Daxil ol"), ("ru", "Войти")])
def test_login_page_speaks_three_languages(client: Client, language: str, expected: str) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert expected in response.content.decode()
