"""The house stays in order: the import graph of portal/ (every import, also those inside functions) has
no cycle, the domain core imports neither the services, the models, the database nor Flask, and only
the faces import the faces (../shared/conventions.md, "The house")."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "portal"

# The domain core: pure functions and dataclasses, testable with nothing but pytest.
KERN = ("portal.ieb", "portal.spreadsheets", "portal.kalender", "portal.toestanden", "portal.rollen",
        "portal.aansluiting", "portal.productafname", "portal.gemeentecodes", "portal.bsn", "portal.demo",
        "portal.mutaties", "portal.record60")
# What the core may never import.
NIET_IN_DE_KERN = ("portal.services", "portal.models", "portal.extensions", "portal.web", "portal.cli",
                   "flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "sqlalchemy",
                   "werkzeug", "wtforms")
# The faces: blueprints, the command line, the scheduler process.
GEZICHTEN = ("portal.auth", "portal.cak", "portal.gemeente", "portal.gebruikers", "portal.ketentest", "portal.hulp",
             "portal.web",
             "portal.cli", "portal.scheduler")


def modulenaam(pad: Path, wortel: Path) -> str:
    delen = list(pad.relative_to(wortel.parent).with_suffix("").parts)
    if delen[-1] == "__init__":
        delen.pop()
    return ".".join(delen)


def _alleen_voor_types(knoop: ast.AST) -> bool:
    """`if TYPE_CHECKING:`: imports there are read by the type checker and never run."""
    return isinstance(knoop, ast.If) and (
        (isinstance(knoop.test, ast.Name) and knoop.test.id == "TYPE_CHECKING")
        or (isinstance(knoop.test, ast.Attribute) and knoop.test.attr == "TYPE_CHECKING"))


def _imports(boom: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    gevonden: list[ast.Import | ast.ImportFrom] = []
    for kind in ast.iter_child_nodes(boom):
        if isinstance(kind, ast.Import | ast.ImportFrom):
            gevonden.append(kind)
        elif _alleen_voor_types(kind):
            gevonden.extend(i for k in kind.orelse for i in _imports(ast.Module(body=[k], type_ignores=[])))
        else:
            gevonden.extend(_imports(kind))
    return gevonden


def importgraaf(wortel: Path) -> dict[str, set[str]]:
    """Module -> the modules it imports (within the package and outside it), from the source alone:
    every import that can run, also inside functions; not those under `if TYPE_CHECKING:`.

    `from a import b` counts as importing `a.b` when that is a module of the package, else `a`."""
    bestanden = {modulenaam(p, wortel): p for p in sorted(wortel.rglob("*.py"))}
    graaf: dict[str, set[str]] = {}
    for naam, pad in bestanden.items():
        pakket = naam if pad.name == "__init__.py" else naam.rpartition(".")[0]
        doelen: set[str] = set()
        for knoop in _imports(ast.parse(pad.read_text(encoding="utf-8"), str(pad))):
            if isinstance(knoop, ast.Import):
                doelen.update(alias.name for alias in knoop.names)
            elif isinstance(knoop, ast.ImportFrom):
                basis = knoop.module or ""
                if knoop.level:
                    delen = pakket.split(".")
                    basis = ".".join(delen[:len(delen) - knoop.level + 1] + ([basis] if basis else []))
                for alias in knoop.names:
                    volledig = f"{basis}.{alias.name}"
                    doelen.add(volledig if volledig in bestanden else basis)
        graaf[naam] = {d for d in doelen if d != naam}
    return graaf


def cycli(graaf: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    laag: dict[str, int] = {}
    stapel: list[str] = []
    op_stapel: set[str] = set()
    gevonden: list[list[str]] = []
    teller = 0

    def bezoek(v: str) -> None:
        nonlocal teller
        index[v] = laag[v] = teller
        teller += 1
        stapel.append(v)
        op_stapel.add(v)
        for w in sorted(graaf.get(v, ())):
            if w not in graaf:
                continue
            if w not in index:
                bezoek(w)
                laag[v] = min(laag[v], laag[w])
            elif w in op_stapel:
                laag[v] = min(laag[v], index[w])
        if laag[v] == index[v]:
            groep = []
            while True:
                w = stapel.pop()
                op_stapel.discard(w)
                groep.append(w)
                if w == v:
                    break
            if len(groep) > 1:
                gevonden.append(sorted(groep))

    for v in sorted(graaf):
        if v not in index:
            bezoek(v)
    return gevonden


def hoort_bij(module: str, groepen: tuple[str, ...]) -> bool:
    return any(module == g or module.startswith(g + ".") for g in groepen)


@pytest.fixture(scope="module")
def graaf() -> dict[str, set[str]]:
    return importgraaf(PORTAL)


def test_the_graph_covers_every_module_of_the_portal(graaf):
    assert "portal.services.migratie.planning" in graaf
    assert "portal.toestanden" in graaf["portal.services.migratie.overgang"]
    assert len(graaf) == len(list(PORTAL.rglob("*.py")))


def test_no_module_of_the_portal_is_part_of_an_import_cycle(graaf):
    assert cycli(graaf) == []


def test_the_core_imports_no_service_model_database_or_flask(graaf):
    fout = {(module, doel) for module, doelen in graaf.items() if hoort_bij(module, KERN)
            for doel in doelen if hoort_bij(doel, NIET_IN_DE_KERN)}
    assert fout == set()


def test_services_and_models_never_import_a_face(graaf):
    fout = {(module, doel) for module, doelen in graaf.items()
            if hoort_bij(module, ("portal.services", "portal.models"))
            for doel in doelen if hoort_bij(doel, GEZICHTEN)}
    assert fout == set()


def test_the_models_import_no_service(graaf):
    fout = {(module, doel) for module, doelen in graaf.items() if hoort_bij(module, ("portal.models",))
            for doel in doelen if hoort_bij(doel, ("portal.services",))}
    assert fout == set()


def _pakket(tmp_path: Path, bestanden: dict[str, str]) -> Path:
    wortel = tmp_path / "proef"
    for naam, tekst in bestanden.items():
        pad = wortel / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_text(tekst, encoding="utf-8")
    return wortel


def test_the_check_finds_a_cycle_through_an_import_inside_a_function(tmp_path):
    wortel = _pakket(tmp_path, {
        "__init__.py": "",
        "a.py": "from proef import b\n",
        "b.py": "def f():\n    from proef.c import x\n",
        "c.py": "import proef.a\nx = 1\n",
        "d.py": "from proef import a\n",
    })
    assert cycli(importgraaf(wortel)) == [["proef.a", "proef.b", "proef.c"]]


def test_the_check_finds_a_blueprint_package_importing_its_own_routes(tmp_path):
    wortel = _pakket(tmp_path, {
        "__init__.py": "",
        "cak/__init__.py": "bp = object()\nfrom proef.cak import routes\n",
        "cak/routes.py": "from proef.cak import bp\n",
    })
    assert cycli(importgraaf(wortel)) == [["proef.cak", "proef.cak.routes"]]


def test_imports_only_for_the_type_checker_are_no_cycle(tmp_path):
    wortel = _pakket(tmp_path, {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from proef.b import B\nA = 1\n",
        "b.py": "from proef.a import A\nB = 2\n",
    })
    graaf = importgraaf(wortel)
    assert graaf["proef.a"] == {"typing"}
    assert cycli(graaf) == []


def test_relative_imports_are_resolved_to_their_modules(tmp_path):
    wortel = _pakket(tmp_path, {
        "__init__.py": "",
        "kern/__init__.py": "from .regels import r\n",
        "kern/regels.py": "from ..diensten import d\n",
        "diensten.py": "d = 1\n",
    })
    graaf = importgraaf(wortel)
    assert graaf["proef.kern"] == {"proef.kern.regels"}
    assert graaf["proef.kern.regels"] == {"proef.diensten"}
