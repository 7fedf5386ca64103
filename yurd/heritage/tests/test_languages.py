import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "state"),
    [
        ("en", "Heritage catalogue", "no visible change"),
        ("az", "İrs kataloqu", "görünən dəyişiklik yoxdur"),
        ("ru", "Каталог наследия", "видимых изменений нет"),
    ],
)
def test_public_catalogue_speaks_three_languages(client: Client, language: str, heading: str, state: str) -> None:
    content = client.get("/heritage/catalogue/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in content
    assert state in content  # the map legend
