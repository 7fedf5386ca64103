"""Every migration of Yurd's apps runs backwards to zero and forwards again.

Each one is reversible or says on purpose that it is not (then this test names it); the
apps Yurd installs (auth, django-tasks...) stay where they are: some of theirs are not. Run on
both databases by CI; it shares its xdist worker's database with other tests, so it always
ends with every app at its latest migration and the rows post_migrate makes (content
types, permissions, role groups) made again.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("migrations")]


def _schema() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        introspection = connection.introspection
        return {
            table: sorted(column.name for column in introspection.get_table_description(cursor, table))
            for table in sorted(introspection.table_names(cursor))
        }


def test_the_whole_project_migrates_back_to_zero_and_forward_again() -> None:
    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("yurd.")}
    before = _schema()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([(label, None) for label in sorted(ours)])
        executor.loader.build_graph()
        assert not [key for key in executor.loader.applied_migrations if key[0] in ours]
        assert not [table for table in _schema() if table.split("_", 1)[0] in ours]

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        assert _schema() == before
    finally:
        # The later tests of this worker need the latest schema and post_migrate's rows.
        call_command("migrate", verbosity=0)
        ContentType.objects.clear_cache()
