"""Background work of field collection (django-tasks)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from yurd.fieldwork.matching import submissions_match
from yurd.fieldwork.models import Submission

logger = logging.getLogger(__name__)


@task()
def match_submissions_task(submission_ids: list[int]) -> None:
    submissions = list(Submission.objects.filter(pk__in=submission_ids))
    try:
        submissions_match(submissions=submissions)
    except Exception as error:
        # The rows stay staged; the commit matches them again in any case.
        logger.exception("Matching field submissions failed")
        Submission.objects.filter(pk__in=submission_ids).update(
            error=_("Staged, but the matching preview failed: %(error)s") % {"error": str(error)[:500]}
        )
        raise
