from __future__ import annotations

import pytest
from pytest_django import Settings


@pytest.fixture(autouse=True)
def isolated_media(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own empty evidence store, since the database is rolled back between tests."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
