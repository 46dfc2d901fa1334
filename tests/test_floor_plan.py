"""The floor plan (issue 9): imports run one way, so the layers cannot drift into each other.

    portal  →  api  →  dataset, search, history  →  domain apps  →  records
    (configures)                          (sources, regions, agreements, mechanisms, timeline, findings)

- ``records`` holds the shared building blocks and imports no app of the project;
- no app imports ``portal``, the project package (settings reach apps as strings);
- the domain apps' models and querysets import only ``records`` and each other, never the API,
  search or the dataset loader (their views and filters may use search: pages search too);
- nothing but ``portal`` imports ``api``.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ["portal", "records", "sources", "regions", "agreements", "mechanisms", "timeline", "findings", "dataset", "search", "api", "opendata", "history", "explore"]
DOMAIN = {"sources", "regions", "agreements", "mechanisms", "timeline", "findings"}


def project_imports(path: Path) -> set[str]:
    """The project packages a module imports, at any depth of the module (function-level imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(PROJECT)
    return found


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path


def imports_of(app: str) -> dict[str, set[str]]:
    return {name: project_imports(path) - {app} for name, path in modules(app)}


def offenders(app: str, allowed: set[str], only=lambda name: True) -> dict[str, set[str]]:
    return {name: found - allowed for name, found in imports_of(app).items() if only(name) and found - allowed}


def test_records_imports_no_other_app():
    assert offenders("records", allowed=set()) == {}


@pytest.mark.parametrize("app", [app for app in PROJECT if app != "portal"])
def test_no_app_imports_the_project_package(app):
    assert offenders(app, allowed=set(PROJECT) - {"portal"}) == {}


@pytest.mark.parametrize("app", sorted(DOMAIN))
def test_domain_models_import_only_records_and_other_domain_apps(app):
    def is_model_layer(name: str) -> bool:
        return name.endswith(("/models.py", "/querysets.py", "/admin.py")) or "/migrations/" in name

    assert offenders(app, allowed=DOMAIN | {"records"}, only=is_model_layer) == {}


@pytest.mark.parametrize("app", [app for app in PROJECT if app not in {"portal", "api"}])
def test_only_the_project_package_imports_the_api(app):
    assert not {name for name, found in imports_of(app).items() if "api" in found}


@pytest.mark.parametrize("app", [app for app in PROJECT if app not in {"portal", "explore"}])
def test_nothing_imports_the_explore_pages(app):
    # explore (matrix, comparison, charts) reads the record apps; no app builds on it.
    assert not {name for name, found in imports_of(app).items() if "explore" in found}


def test_the_rule_sees_a_forbidden_import(tmp_path):
    # The checker itself must be able to fail: a module importing the project package is caught.
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from portal.settings import base\n", encoding="utf-8")
    assert project_imports(module) == {"portal"}
