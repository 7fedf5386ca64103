"""Record types as people read them: "registry.household" is shown as "Household".

Logs store a record's type as its model label ("app.model"), which stays stable when
names or languages change; pages name it by the model's verbose name, in the page's
language.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.text import capfirst


def record_type_label(label: str, *, plural: bool = False) -> str:
    """The verbose name of the model called `label` ("registry.household"), capitalised;
    the label as stored when no installed model has it (a type named before a model was
    renamed or removed)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    name = model._meta.verbose_name_plural if plural else model._meta.verbose_name
    return str(capfirst(name))
