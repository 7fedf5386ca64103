"""`yurd worker`: the background task worker (django-tasks-db's db_worker).

Runs the jobs people start in the web interface (imports, linkage, exports) and
reports their progress. `make demo` starts one alongside the web server. Unlike
db_worker it does not reload on code changes unless --reload is given.

Beside its loop a thread writes the worker's heartbeat and recovers the tasks of
workers that stopped sending theirs (yurd.core.workers). A database that goes away
(PostgreSQL restarting) is waited for instead of ending the worker.
"""

from __future__ import annotations

import logging
import os
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from yurd.core.workers import HEARTBEAT_SECONDS, LEASE_SECONDS, Heartbeat, worker_gone

logger = logging.getLogger("yurd.worker")


class YurdWorker(Worker):
    def __init__(self, *, heartbeat: float, lease: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat = Heartbeat(self.worker_id, interval=heartbeat, lease=lease)
        self.retry_interval = heartbeat

    def run(self) -> None:
        self.heartbeat.beat()
        self.heartbeat.start()
        try:
            while self.running:
                try:
                    super().run()
                    return
                except DatabaseError as error:
                    if not self.running:
                        raise
                    logger.warning("The database is unreachable (%s); trying again.", error)
                    connections.close_all()
                    time.sleep(self.retry_interval)
        finally:
            self.heartbeat.stop()
            try:
                worker_gone(self.worker_id)
            except DatabaseError:
                logger.warning("Could not remove the heartbeat of worker %s.", self.worker_id)


class Command(DbWorkerCommand):
    help = "Run the background task worker: it executes queued jobs and records their progress."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=HEARTBEAT_SECONDS,
            help="Seconds between this worker's heartbeats (default: %(default)s).",
        )
        parser.add_argument(
            "--lease",
            type=float,
            default=LEASE_SECONDS,
            help="A running task whose worker has been silent this many seconds is recovered (default: %(default)s).",
        )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        heartbeat: float,
        lease: float,
        **options: Any,
    ) -> None:
        # As db_worker's handle, building this command's worker.
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = YurdWorker(
            heartbeat=heartbeat,
            lease=lease,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
