"""Stored files are never served at MEDIA_URL, not even with DEBUG=true as `make demo` serves."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import clear_url_caches

import config.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls(settings: Any) -> Iterator[None]:
    """The URL configuration as a DEBUG process builds it at start-up."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_an_evidence_file_is_not_served_at_media_without_login(debug_urls: None, client: Client) -> None:
    name = default_storage.save("evidence/ab/testimony-recording.txt", ContentFile(b"synthetic testimony words"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 404
    assert b"synthetic testimony words" not in b"".join(getattr(response, "streaming_content", [response.content]))
