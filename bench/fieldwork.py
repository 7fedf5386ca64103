"""Field submissions: time to receive, stage and match OpenRosa submissions.

    DATABASE_URL= .venv/bin/python -m bench fieldwork     (or: .venv/bin/python bench/fieldwork.py)

Builds a throw-away SQLite database with a synthetic registry of N households, then
posts M submissions (built from the form's own instance template) through the service
the OpenRosa endpoint calls, and reports the median and worst time per submission.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid


def main() -> None:
    households = int(os.environ.get("BENCH_HOUSEHOLDS", "2000"))
    submissions = int(os.environ.get("BENCH_SUBMISSIONS", "20"))
    directory = tempfile.mkdtemp(prefix="yurd-bench-fieldwork-")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["YURD_MEDIA_ROOT"] = directory
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from io import StringIO

    from yurd.accounts.roles import Role
    from yurd.core.actors import Actor
    from yurd.fieldwork.services import submission_receive
    from yurd.fieldwork.tests.conftest import build_submission
    from yurd.places import demo as places_demo
    from yurd.registry import demo as registry_demo
    from yurd.testing.personas import make_user

    places_demo.load(households=households, stdout=StringIO())
    registry_demo.load(households=households, stdout=StringIO())
    from bench import require_setup
    from yurd.fieldwork.models import Team
    from yurd.registry.models import Household

    require_setup(Household.objects.count(), "households loaded", expected=households)

    user = make_user("bench-collector", Role.REGISTRAR)
    Team.objects.create(name="bench").members.add(user)
    actor = Actor(user=user)
    timings = []
    for number in range(submissions):
        xml = build_submission(
            household__origin_place="",
            members=[
                {"surname": "Məmmədov", "given_name": "Əli", "birth_date": "1951", "role": "head"},
                {"surname": "Həsənova", "given_name": "Gülnarə", "birth_date": "1955", "role": "spouse"},
                {"surname": "Məmmədov", "given_name": f"Rəşad{number}", "birth_date": "1980", "role": "child"},
            ],
            instance_id=f"uuid:{uuid.uuid4()}",
        )
        start = time.perf_counter()
        submission_receive(actor=actor, xml=xml)
        timings.append(time.perf_counter() - start)
    print(
        f"fieldwork: {submissions} submissions against {households} households: "
        f"first {timings[0]:.2f}s, median {statistics.median(timings[1:] or timings):.2f}s, "
        f"worst {max(timings):.2f}s per submission (receive + stage + linkage match)"
    )


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
