"""`yurd integrity_check`: check place paths and change history, with a progress bar.

Runs in the foreground by default; --background queues it for `yurd worker` and
prints the job's id.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.management.base import CommandError

from yurd.core.jobs import job_run_here, job_start
from yurd.core.management.base import YurdCommand
from yurd.core.models import JobStatus
from yurd.core.progress import ProgressBar
from yurd.core.tasks import INTEGRITY_CHECK, integrity_check


class Command(YurdCommand):
    help = "Check the gazetteer's place paths and count every model's change history."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--background", action="store_true", help="Queue the check for the worker instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = self.actor.user
        if owner is not None and not owner.has_perm("core.run_maintenance"):
            raise CommandError(f"{owner.get_username()} may not start maintenance jobs.")
        if options["background"]:
            job = job_start(INTEGRITY_CHECK, owner, integrity_check)
            self.stdout.write(f"Queued job {job.pk}; `yurd worker` runs it.")
            return
        # The raw stream under Django's OutputWrapper, which would add a newline to every write.
        stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
        with ProgressBar(label="Integrity check", stream=stream) as bar:
            job = job_run_here(integrity_check, kind=INTEGRITY_CHECK, owner=owner, listener=bar)
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(job.message)
        result = job.result
        self.stdout.write(f"Checked {result['places_checked']} places; {result['problem_count']} problem(s).")
        for problem in result["problems"]:
            self.stdout.write(f"  {problem}")
        for label, counts in sorted(result["records"].items()):
            self.stdout.write(f"  {label}: {counts['rows']} rows, {counts['history']} history rows")
        if result["problem_count"]:
            raise CommandError(f"{result['problem_count']} problem(s) found.")
