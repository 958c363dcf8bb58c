"""Bot fixtures: the candidate document rebuilt once per session from the shared TSE folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tglake.bot import build
from tglake.bot.candidates import CandidateData, bundled, from_document, read_document
from tglake.cli.candidates import build_cmd
from tglake.cli.context import run_guarded


@pytest.fixture(scope="session")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tglake candidates build --out …`` run once, from the real shared folder."""
    out = tmp_path_factory.mktemp("built") / "candidates.json.gz"
    code = run_guarded(build_cmd, ["--shared", str(build.DEFAULT_SHARED), "--out", str(out)])
    assert code == 0
    return out


@pytest.fixture(scope="session")
def document(rebuilt: Path) -> dict[str, Any]:
    return read_document(rebuilt)


@pytest.fixture(scope="session")
def data(document: dict[str, Any]) -> CandidateData:
    return from_document(document)


@pytest.fixture(scope="session")
def shipped() -> CandidateData:
    return bundled()
