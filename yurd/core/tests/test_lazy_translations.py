"""No text is translated while a module is imported: a label translated then keeps the
language of whichever request (or none: the startup's English) first imported it, on
every later page in every language. Constants, class attributes, default arguments and
decorators take gettext_lazy; gettext runs inside functions, per request.
"""

from __future__ import annotations

import ast
from pathlib import Path

YURD = Path(__file__).resolve().parents[2]
EAGER = frozenset({"gettext", "ngettext", "pgettext", "npgettext"})


def _eager_names(tree: ast.Module) -> set[str]:
    """The names a module binds to django.utils.translation's eager functions (`_` often)."""
    return {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }


class _ImportTimeCalls(ast.NodeVisitor):
    """Eager calls that run on import: in module and class bodies, default arguments and
    decorators; not in the bodies of functions and lambdas, which run when called."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.lines: list[int] = []

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in self.names:
            self.lines.append(node.lineno)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for expression in [*node.args.defaults, *node.args.kw_defaults, *node.decorator_list]:
            if expression is not None:
                self.visit(expression)

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815 - the visitor's naming

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)


def import_time_translations(source: str) -> list[int]:
    tree = ast.parse(source)
    names = _eager_names(tree)
    if not names:
        return []
    visitor = _ImportTimeCalls(names)
    visitor.visit(tree)
    return sorted(set(visitor.lines))


def test_the_check_finds_constants_class_attributes_and_defaults_but_not_function_bodies() -> None:
    source = (
        "from django.utils.translation import gettext as _\n"
        "LABELS = {'a': _('Household')}\n"  # line 2
        "class Form:\n"
        "    title = _('Search')\n"  # line 4
        "    def clean(self, message=_('Wrong')):\n"  # line 5
        "        return _('Fine here')\n"
        "SORT = lambda: _('Fine too')\n"
    )
    assert import_time_translations(source) == [2, 4, 5]


def test_no_module_translates_text_while_it_is_imported() -> None:
    found = [
        f"{path.relative_to(YURD.parent)}:{line}"
        for path in sorted(YURD.rglob("*.py"))
        if "migrations" not in path.parts
        for line in import_time_translations(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "gettext runs on import (use gettext_lazy): " + ", ".join(found)
