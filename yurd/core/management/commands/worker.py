"""`yurd worker`: the background task worker (django-tasks-db's db_worker).

Runs the jobs people start in the web interface (imports, linkage, exports) and
reports their progress. `make demo` starts one alongside the web server. Unlike
db_worker it does not reload on code changes unless --reload is given.
"""

from __future__ import annotations

from argparse import ArgumentParser

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "Run the background task worker: it executes queued jobs and records their progress."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
