"""frontwelfare.reports is the pipeline; the domain apps plug their sections into it
(frontwelfare.reports.registry). No module of it may import a domain app: the imports are read from
the source, so an import added anywhere in the package, even inside a function, fails here."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

import frontwelfare.reports

REPORTS = Path(frontwelfare.reports.__file__).parent
PROJECT = Path(settings.BASE_DIR).resolve()


def _domain_apps() -> set[str]:
    """The project's own apps outside the frontwelfare package (households, housing, and whichever
    come next), from INSTALLED_APPS: not Django's nor the third-party packages'."""
    return {config.name.split(".")[0] for config in apps.get_app_configs()
            if not config.name.startswith("frontwelfare")
            and Path(config.path).resolve().is_relative_to(PROJECT)
            and ".venv" not in Path(config.path).parts and "site-packages" not in Path(config.path).parts}


def _imported(path: Path) -> set[str]:
    """The top-level packages ``path`` imports (relative imports stay within frontwelfare.reports)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_domain_apps_are_found_in_installed_apps():
    assert {"households", "housing"} <= _domain_apps()


def test_no_module_of_the_reports_imports_a_domain_app():
    domain = _domain_apps()
    modules = sorted(REPORTS.rglob("*.py"))
    assert len(modules) > 10
    offending = {str(path.relative_to(REPORTS)): sorted(_imported(path) & domain) for path in modules
                 if _imported(path) & domain}
    assert offending == {}


def test_the_check_sees_an_import_of_a_domain_app(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("def figures():\n    from housing.models import Programme\n    return Programme\n")
    assert "housing" in _imported(module) & _domain_apps()
