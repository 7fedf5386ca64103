from typing import Any

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yurd.registry"
    label = "registry"

    def ready(self) -> None:
        # Models and what imports them exist only once the registry is ready, not when apps.py loads.
        from yurd.core.derived import register_key_refresher  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.evidence.selectors import register_documented_records  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.places.panels import register_place_panel  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.registry.models import Household, Person  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.registry.place_panels import households_panel  # noqa: PLC0415 - models are not loaded when apps.py is
        from yurd.registry.search_index import reindex_all  # noqa: PLC0415 - models are not loaded when apps.py is

        # Evidence about a household or a person is seen only by those who may see them.
        def households(user: Any) -> Any:
            return Household.objects.visible_to(user).values("code")

        def people(user: Any) -> Any:
            return Person.objects.visible_to(user).values("code")

        register_documented_records("registry.household", households)
        register_documented_records("registry.person", people)
        # The place page lists the households that originate there.
        register_place_panel(households_panel)
        # `yurd migrate` recomputes people's name tokens when the folding rules changed.
        register_key_refresher("people's search keys", lambda: reindex_all()[1])
