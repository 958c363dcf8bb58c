"""The dependency rule: the core and the middle layer import no AWS SDK, HTTP framework or CLI
library; only ``tglake.adapters``, ``tglake.cli`` and ``tglake.demo`` (edges) may."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tglake

EDGES = ("tglake.adapters", "tglake.cli", "tglake.demo", "tglake.__main__")
FORBIDDEN = (
    "boto3", "botocore", "starlette", "uvicorn", "click", "httpx2", "rich", "prometheus_client",
)  # fmt: skip


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(tglake.__path__, "tglake.")]
    return sorted(n for n in names if not n.startswith(EDGES))


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


def test_the_public_api_is_exported_sorted() -> None:
    assert tglake.__all__ == sorted(tglake.__all__)
    for name in tglake.__all__:
        assert hasattr(tglake, name), name
