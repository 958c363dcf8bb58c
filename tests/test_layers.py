"""The dependency rules, both enforced here.

1. Third-party: the core and the middle layer import no AWS SDK, HTTP framework or CLI library;
   only ``tglake.adapters``, ``tglake.cli`` and ``tglake.demo`` (edges) may.
2. Internal direction: a package imports only from the packages below it in ``MAY_IMPORT``,
   read from the source (module-level, function-level and ``TYPE_CHECKING`` imports alike), and
   no two modules import each other, however indirectly.

    shared vocabulary  config errors layout schema storage telegram jsonbytes pseudonym
        ^
    candidates         the election's reference data
        ^
    ingest    etl      receiving, and the nightly ETL (never each other)
        ^
    bot    analytics   the chat bot, SQL and the report (never each other)
        ^
    adapters           boto3, starlette, httpx: the outside world
        ^
    demo  <-  cli      the entry points
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import tglake

EDGES = ("tglake.adapters", "tglake.cli", "tglake.demo", "tglake.__main__")
FORBIDDEN = (
    "boto3", "botocore", "starlette", "uvicorn", "click", "httpx2", "rich", "prometheus_client",
)  # fmt: skip

SHARED = frozenset(
    {
        "config",
        "errors",
        "layout",
        "schema",
        "storage",
        "telegram",
        "jsonbytes",
        "personal",
        "tdexport",
        "metrics",
        "botapi",
        "botapi_kinds",
        "pseudonym",
        "lakestate",
    }
)
_BELOW_INGEST = frozenset({"shared", "candidates"})
_BELOW_ADAPTERS = _BELOW_INGEST | {"ingest", "etl", "bot", "analytics", "erasure"}
# The one table of allowed edges between packages: layer -> the layers it may import.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "shared": frozenset({"shared"}),
    "candidates": frozenset({"shared"}),
    "ingest": _BELOW_INGEST,
    "etl": _BELOW_INGEST,
    "bot": _BELOW_INGEST | {"ingest"},
    # the Athena ETL (analytics/athena_etl) writes what the Python ETL writes, with its rules
    "analytics": _BELOW_INGEST | {"etl"},
    # erasure rewrites the raw zone and re-runs the ETL on the days it touched
    "erasure": _BELOW_INGEST | {"etl"},
    "adapters": _BELOW_ADAPTERS,
    "demo": _BELOW_ADAPTERS | {"adapters"},
    "cli": _BELOW_ADAPTERS | {"adapters", "demo"},
    "__main__": frozenset({"cli"}),
    # the package's front (``import tglake``) re-exports the receiving half of the API
    "tglake": frozenset({"shared", "ingest"}),
}

SRC = Path(tglake.__file__).parent


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(tglake.__path__, "tglake.")]
    return sorted(n for n in names if not n.startswith(EDGES))


def module_name(path: Path) -> str:
    parts = ("tglake", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    """The layer of a dotted module name: its package, or ``shared`` for the vocabulary."""
    parts = module.split(".")
    if len(parts) == 1:
        return "tglake"
    return "shared" if parts[1] in SHARED else parts[1]


def internal_imports(source: str, package: str) -> set[str]:
    """Every ``tglake`` module a file of ``package`` imports, at any depth of its syntax tree."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "tglake")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            if base.split(".")[0] != "tglake":
                continue
            for alias in node.names:
                # ``from tglake import layout`` imports the module tglake.layout
                sub = f"{base}.{alias.name}"
                found.add(sub if _is_module(sub) else base)
    return found


def _is_module(dotted: str) -> bool:
    rel = Path(*dotted.split(".")[1:])
    return (SRC / rel).with_suffix(".py").exists() or (SRC / rel / "__init__.py").exists()


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(SRC.rglob("*.py")):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = internal_imports(path.read_text(encoding="utf-8"), package)
    return graph


def test_the_core_is_not_empty() -> None:
    assert {"tglake.ingest.webhook", "tglake.layout", "tglake.storage"} <= set(core_modules())


def test_importing_the_core_loads_no_edge_library() -> None:
    code = (
        "import sys\n"
        f"for name in {core_modules()!r}: __import__(name)\n"
        f"print(sorted(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_package_has_a_place_in_the_direction() -> None:
    assert {layer(m) for m in import_graph()} == set(MAY_IMPORT)


def test_every_internal_import_points_down_the_written_direction() -> None:
    wrong = sorted(
        f"{source} imports {target}"
        for source, targets in import_graph().items()
        for target in targets
        if layer(target) != layer(source) and layer(target) not in MAY_IMPORT[layer(source)]
    )
    assert wrong == []


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    cycles = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_check_sees_imports_inside_functions_and_type_checking() -> None:
    # GIVEN a module of tglake.etl that imports the bot in both hidden ways
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from tglake.bot import cards\n"
        "def f() -> None:\n    from ..bot import commands\n"
    )
    found = internal_imports(source, "tglake.etl")
    # THEN both are found, and both break the rule
    assert found == {"tglake.bot.cards", "tglake.bot.commands"}
    assert all(layer(t) not in MAY_IMPORT["etl"] for t in found)


STORES = {"LocalStore", "S3Store", "ObjectStore"}


def test_only_storage_and_the_adapters_ask_which_store_they_have() -> None:
    # the port carries what callers need (list_names, get_many, put_file, local_root)
    asking = []
    for path in sorted(SRC.rglob("*.py")):
        name = module_name(path)
        if name == "tglake.storage" or name.startswith("tglake.adapters"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
                "isinstance",
                "getattr",
            ):
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & STORES
                if names or (node.func.id == "getattr" and "store" in ast.unparse(node.args[0])):
                    asking.append(f"{name}:{node.lineno}")
    assert asking == []


def test_the_public_api_is_exported_sorted() -> None:
    assert tglake.__all__ == sorted(tglake.__all__)
    for name in tglake.__all__:
        assert hasattr(tglake, name), name
