"""No service imports another service: gateway, registry, finance, pharmacy and
verification meet only through HTTP contracts and events. A service's code, migrations and
tests may import the shared kit (``oms_kit``) and themselves; the kit imports no service.
Only the composition root (``oms_embedded``) may import them all.

Imports are read with ``ast`` (nothing is executed): ``import x``, ``from x import y`` and
``importlib.import_module("x")`` / ``__import__("x")`` with a literal name."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KIT = "oms_kit"
COMPOSITION_ROOT = "oms_embedded"


def workspace_packages(services: Path) -> dict[str, Path]:
    """Top-level package name → its member directory (``services/<member>``)."""
    return {
        package.name: member
        for member in sorted(services.iterdir())
        if member.is_dir()
        for package in member.iterdir()
        if (package / "__init__.py").is_file()
    }


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:  # relative imports stay inside their package
                yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def boundary_problems(member: Path, allowed: set[str], workspace: set[str], root: Path) -> list[str]:
    problems = []
    for path in sorted(member.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for lineno, module in imported_modules(tree):
            top = module.split(".")[0]
            if top in workspace and top not in allowed:
                problems.append(f"{path.relative_to(root)}:{lineno} imports {module}")
    return problems


def test_services_import_only_the_kit_and_themselves() -> None:
    packages = workspace_packages(REPO / "services")
    assert {KIT, COMPOSITION_ROOT, "gateway", "registry", "finance", "pharmacy", "verification"} <= set(
        packages
    )
    problems = []
    for package, member in packages.items():
        if package == COMPOSITION_ROOT:
            continue
        allowed = {KIT} if package == KIT else {KIT, package}
        problems += boundary_problems(member, allowed, set(packages), REPO)
    assert not problems, "a service reaches into another package:\n" + "\n".join(problems)


def test_the_scan_catches_every_import_form(tmp_path: Path) -> None:
    member = tmp_path / "services" / "pharmacy"
    (member / "pharmacy" / "stock").mkdir(parents=True)
    (member / "tests").mkdir()
    (member / "pharmacy" / "__init__.py").write_text("")
    (member / "pharmacy" / "stock" / "service.py").write_text(
        "import importlib\n"
        "from oms_kit.db import Database\n"
        "from pharmacy.models import Stock\n"
        "from . import repository\n"
        "import registry.models\n"
        "from finance.events.published import DrugSpent\n"
        "handlers = importlib.import_module('verification.events.handlers')\n"
    )
    (member / "tests" / "test_stock.py").write_text("def test():\n    __import__('gateway.main')\n")
    workspace = {KIT, "pharmacy", "registry", "finance", "verification", "gateway"}
    found = boundary_problems(member, {KIT, "pharmacy"}, workspace, tmp_path)
    assert found == [
        "services/pharmacy/pharmacy/stock/service.py:5 imports registry.models",
        "services/pharmacy/pharmacy/stock/service.py:6 imports finance.events.published",
        "services/pharmacy/pharmacy/stock/service.py:7 imports verification.events.handlers",
        "services/pharmacy/tests/test_stock.py:2 imports gateway.main",
    ]
