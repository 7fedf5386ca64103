"""Fixtures shared by every app: personas, a synthetic gazetteer, and the browser."""

from __future__ import annotations

import importlib
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pluggy
import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import translation

from yurd.accounts.models import User
from yurd.accounts.roles import Role, sync_role_groups
from yurd.testing.personas import Gazetteer, make_gazetteer, make_scoped_user, make_user


def pytest_configure(config: pytest.Config) -> None:
    # Registered here, not only by pytest-xdist, so that runs with -p no:xdist accept it.
    config.addinivalue_line(
        "markers", "xdist_group(name): tests sharing one session fixture run on one xdist worker (--dist loadgroup)"
    )


# What marks a test as touching the database (closure of its fixtures).
DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}
_ENGINE_AWARE: dict[Path, bool] = {}


def _engine_aware(item: pytest.Item) -> bool:
    """The test's module names an engine (it may branch on it or build a scratch database)."""
    path = Path(str(item.fspath))
    if path not in _ENGINE_AWARE:
        text = path.read_text(encoding="utf-8").lower()
        _ENGINE_AWARE[path] = any(word in text for word in ("postgres", "connection.vendor", "database_url"))
    return _ENGINE_AWARE[path]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL run runs what touches a database; pure tests ran in the SQLite run.

    make test runs the suite on SQLite, then on PostgreSQL: a test of the name folding or of
    the estimation package gives the same answer on both, and running it twice cost minutes
    of a CI run kept under 25. A test that uses the database, or whose module names an
    engine, runs on both.
    """
    if not str(settings.DATABASES["default"]["ENGINE"]).endswith("postgresql"):
        return
    pure = [
        item
        for item in items
        if item.get_closest_marker("django_db") is None
        and not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        and not _engine_aware(item)
    ]
    if pure:
        chosen = set(map(id, pure))
        config.hook.pytest_deselected(items=pure)
        items[:] = [item for item in items if id(item) not in chosen]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language.

    LocaleMiddleware activates the request's language for the thread and nothing resets
    it, so a test that requests a page in Azerbaijani would otherwise leave the next test
    on the same worker reading Azerbaijani messages.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Every test starts with an empty process-local cache.

    The suite uses the caches of a real installation (config/settings/base.py), which pickle
    what they store, and one worker runs many tests: a page cached by one test would be
    served to the next. The shared database cache needs no clearing: its table is rolled
    back or flushed with the rest of the database.
    """
    for alias in settings.CACHES:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()
    yield


@pytest.fixture
def gazetteer(db: None) -> Gazetteer:
    return make_gazetteer()


@pytest.fixture
def administrator(db: None) -> User:
    user = make_user("admin-ayla", Role.ADMINISTRATOR)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def registrar(gazetteer: Gazetteer) -> User:
    """A registrar who sees only households originating in district A."""
    return make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)


@pytest.fixture
def assessor(db: None) -> User:
    return make_user("assessor-anar", Role.ASSESSOR)


@pytest.fixture
def reviewer(db: None) -> User:
    return make_user("reviewer-rauf", Role.REVIEWER)


@pytest.fixture
def analyst(db: None) -> User:
    return make_user("analyst-aysel", Role.ANALYST)


@pytest.fixture
def auditor(db: None) -> User:
    return make_user("auditor-orkhan", Role.AUDITOR)


@pytest.fixture
def archivist(db: None) -> User:
    return make_user("archivist-arzu", Role.ARCHIVIST)


@pytest.fixture
def heritage_researcher(db: None) -> User:
    return make_user("researcher-humay", Role.HERITAGE_RESEARCHER)


@pytest.fixture
def outsider(db: None) -> User:
    """Logged in, but holding no role."""
    return make_user("outsider-olga")


# --- Browser tests -----------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(autouse=True)
def _browser_test_reference_data(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("browser") is not None:
        request.getfixturevalue("transactional_db")
        load_reference_data()
    elif "transactional_db" in request.fixturenames or _transactional(request.node.get_closest_marker("django_db")):
        # The flush after an earlier transactional test of this worker emptied the tables the
        # data migrations fill (loss categories, waves, site types, role groups).
        request.getfixturevalue("transactional_db")
        load_reference_data()


def _transactional(marker: pytest.Mark | None) -> bool:
    return marker is not None and bool(marker.kwargs.get("transaction", False))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - heavy; only browser tests need it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


# Data migrations that load reference data (idempotent forward functions).
REFERENCE_DATA = [
    ("yurd.registry.migrations.0002_default_waves", "add_default_waves"),
    ("yurd.claims.migrations.0002_loss_categories", "add_categories"),
    ("yurd.heritage.migrations.0002_default_site_types", "add_site_types"),
]


def load_reference_data() -> None:
    """Reload what data migrations put in the database.

    Browser tests commit for real (the live server reads from other threads), and the
    flush after each such test empties every table. Serialised rollback cannot restore
    it: once Playwright's event loop runs, Django hands this thread a fresh connection
    object that no longer carries the serialised contents.
    """
    for module_name, function_name in REFERENCE_DATA:
        getattr(importlib.import_module(module_name), function_name)(apps, None)
    sync_role_groups()
