from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yurd.core.uploads import MaxUploadSize


class ExportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("KoBoToolbox or ODK Central export (CSV or XLSX)"),
        help_text=_("Submissions already received are skipped; new ones enter the registry's staged import."),
        validators=[MaxUploadSize("import")],
    )
