"""The import's entry points, one import away: staging (staging.py), committing with its
pre-commit hooks (commit.py), the bulk writer (bulk.py) and what goes back to people
(reports.py). Spec: docs/registry-import.md."""

from yurd.registry.imports.bulk import (
    CHUNK,
    SOURCE_SPELLING,
    STAGED_FIELDS,
    bulk_insert,
    reserve_ids,
)
from yurd.registry.imports.commit import (
    ImportRefusedError,
    PreCommitDecision,
    import_commit,
    register_pre_commit_hook,
    staged_values,
    unregister_pre_commit_hook,
)
from yurd.registry.imports.reports import (
    rejected_rows_csv,
    staged_errors,
    template_csv,
)
from yurd.registry.imports.staging import (
    import_create,
    import_validate,
)

__all__ = [
    "CHUNK",
    "SOURCE_SPELLING",
    "STAGED_FIELDS",
    "ImportRefusedError",
    "PreCommitDecision",
    "bulk_insert",
    "import_commit",
    "import_create",
    "import_validate",
    "register_pre_commit_hook",
    "rejected_rows_csv",
    "reserve_ids",
    "staged_errors",
    "staged_values",
    "template_csv",
    "unregister_pre_commit_hook",
]
