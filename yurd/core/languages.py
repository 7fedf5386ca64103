"""Multilingual labels: one rule for which text a reader sees.

Configuration rows and records keep a text per language in sibling fields
(`name_en`/`name_az`/`name_ru`, `label_…`, `title_…`; loss categories name the English
one plain `name`). Each model's label property hands them to `in_current_language`:

    @property
    def label(self) -> str:
        return in_current_language(en=self.label_en, az=self.label_az, ru=self.label_ru)

The reader's language first, then English, then whichever language has a text.
"""

from __future__ import annotations

from django.utils.translation import get_language


def in_current_language(*, en: str, az: str = "", ru: str = "") -> str:
    texts = {"en": en, "az": az, "ru": ru}
    language = (get_language() or "en")[:2]
    return texts.get(language) or en or az or ru
