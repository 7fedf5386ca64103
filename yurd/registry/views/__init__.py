"""Registry pages. Thin: parse input, call one selector or service, render.

One module per section of the registry: record pages (records), the person page's
sections (person_sections), the registration wizard, imports and the export.
"""

from yurd.registry.views.export import (
    export,
)
from yurd.registry.views.imports import (
    import_commit,
    import_detail,
    import_list,
    import_new,
    import_rejected,
    import_template,
)
from yurd.registry.views.person_sections import (
    contact_edit,
    document_add,
    document_edit,
    document_remove,
    kinship_add,
    kinship_remove,
    person_name_add,
    person_name_edit,
    person_name_remove,
)
from yurd.registry.views.population import population, population_estimate
from yurd.registry.views.records import (
    consent_add,
    consent_withdraw,
    heir_line_create,
    household_detail,
    household_edit,
    household_history,
    household_list,
    person_detail,
    person_edit,
    person_history,
    person_list,
    search,
)
from yurd.registry.views.wizard import (
    register,
    register_cancel,
)

__all__ = [
    "consent_add",
    "consent_withdraw",
    "contact_edit",
    "document_add",
    "document_edit",
    "document_remove",
    "export",
    "heir_line_create",
    "household_detail",
    "household_edit",
    "household_history",
    "household_list",
    "import_commit",
    "import_detail",
    "import_list",
    "import_new",
    "import_rejected",
    "import_template",
    "kinship_add",
    "kinship_remove",
    "person_detail",
    "person_edit",
    "person_history",
    "person_list",
    "person_name_add",
    "person_name_edit",
    "person_name_remove",
    "population",
    "population_estimate",
    "register",
    "register_cancel",
    "search",
]
