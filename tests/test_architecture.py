"""The house's rules for imports: checked by import-linter in `make test`, and shown to bite.

Each contract in pyproject.toml is run against a copy of the code with one
forbidden import added, and must fail there; a contract that cannot fail would
be a README sentence the code does not honour.
"""

import ast
import importlib
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lms", "courses", "assignments", "notebooks", "common")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess:
    options = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml"), *options],
        cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("code")
    ignore = shutil.ignore_patterns("__pycache__", "*.ipynb", "static", "templates", "migrations")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_contracts_hold_for_the_code_as_it_is():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


FORBIDDEN = [
    ("layers", "lms/people/selectors.py", "import assignments.models"),
    ("layers", "lms/cohorts/models.py", "import lms.mentoring.models"),
    ("layers", "courses/selectors.py", "import assignments.selectors"),
    ("layers", "lms/notifications/services.py", "import lms.events.services"),
    ("layers", "lms/calendars/entries.py", "import lms.officehours.selectors"),
    ("layers", "assignments/views.py", "import lms.reporting"),
    ("layers", "common/datafolder.py", "import lms.settings"),
    ("jupyter-side", "notebooks/exchange.py", "import lms.people.models"),
    ("jupyter-side", "notebooks/spawner.py", "import django.conf"),
    ("common-plain", "common/archives.py", "import django.conf"),
    ("grading-sandbox", "assignments/grading/kernel_forkserver.py", "import assignments.models"),
]


@pytest.mark.parametrize(("contract", "module", "statement"), FORBIDDEN)
def test_each_contract_fails_when_a_forbidden_import_is_added(
    code_copy, contract, module, statement
):
    path = code_copy / module
    original = path.read_text()
    path.write_text(original + f"\n{statement}  # added by the test\n")
    try:
        result = _lint_imports(code_copy, contract)
    finally:
        path.write_text(original)
    assert result.returncode != 0, f"{contract} let through {statement} in {module}"
    assert "BROKEN" in result.stdout


def test_every_app_of_the_lms_has_a_place_in_the_layers():
    layered = {
        name.strip()
        for contract in CONTRACTS["contracts"]
        if contract["id"] == "layers"
        for layer in contract["layers"]
        for name in layer.split("|")
    }
    lms = importlib.import_module("lms")
    apps = {f"lms.{info.name}" for info in pkgutil.iter_modules(lms.__path__)}
    assert apps - layered == set(), "give each lms app a layer in pyproject.toml"


def _function_local_imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node.name == "ready" and path.name == "apps.py":
            continue  # Django's rule: models are imported once the app registry is ready
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                names = [inner.module or ""] if inner.level == 0 else ["."]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            if any(name == "." or name.split(".")[0] in PACKAGES for name in names):
                yield f"{path.relative_to(ROOT)}:{inner.lineno} in {node.name}()"


def test_no_first_party_import_hides_inside_a_function():
    """An import inside a function is how a cycle hides from the linter."""
    hidden = [
        place
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for place in _function_local_imports(path)
    ]
    assert hidden == []
