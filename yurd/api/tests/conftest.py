from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_media(settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own empty evidence store, since the database is rolled back between tests."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]
