"""CSV of testimonies for one consented use; withdrawn and hidden ones never appear."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.models import AccessAction
from yurd.registry.exports import neutralise
from yurd.testimonies.models import Testimony
from yurd.testimonies.selectors import visible_testimonies

COLUMNS = ["code", "title", "recorded_on", "place", "language", "consented_uses", "restrictions", "segments"]


def testimony_export_csv(*, actor: Actor, use: str, purpose: str) -> str:
    user = actor.user
    if not purpose.strip():
        raise PermissionDenied(_("An export must state its purpose."))
    if user is not None and not user.has_perm("testimonies.export_testimony"):
        raise PermissionDenied(_("You may not export testimonies."))
    # JSON containment differs between databases; the list is short, so filter in Python.
    testimonies = [
        testimony
        for testimony in visible_testimonies(user=user).prefetch_related("segments").order_by("code")
        if use in testimony.consent_uses
    ]
    log_access(actor, AccessAction.EXPORT, Testimony, purpose=purpose, detail={"use": use, "rows": len(testimonies)})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for testimony in testimonies:
        cells = [
            testimony.code,
            testimony.title,
            str(testimony.recorded_on or ""),
            testimony.place.name if testimony.place else "",
            testimony.language,
            " ".join(testimony.consent_uses),
            testimony.consent_restrictions,
            str(len(testimony.segments.all())),
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    return buffer.getvalue()
