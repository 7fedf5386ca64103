"""One rule for multilingual labels: the reader's language, then English, then any text."""

from __future__ import annotations

from django.utils import translation

from yurd.core.languages import in_current_language
from yurd.heritage.models import SiteType
from yurd.testimonies.models import Term


def test_the_readers_language_comes_first_then_english() -> None:
    with translation.override("ru"):
        assert in_current_language(en="bridge", az="körpü", ru="мост") == "мост"
        assert in_current_language(en="bridge", az="körpü") == "bridge"
    with translation.override("az"):
        assert in_current_language(en="bridge", az="körpü", ru="мост") == "körpü"


def test_without_english_any_given_language_is_shown() -> None:
    with translation.override("en"):
        assert in_current_language(en="", az="", ru="мост") == "мост"


def test_site_types_and_thesaurus_terms_follow_the_same_rule() -> None:
    site_type = SiteType(code="bridge", name_en="bridge", name_az="körpü", name_ru="")
    term = Term(label_en="exile", label_az="sürgün", label_ru="изгнание")
    with translation.override("ru"):
        assert (str(site_type), term.label) == ("bridge", "изгнание")
    with translation.override("az"):
        assert (str(site_type), term.label) == ("körpü", "sürgün")
