"""Fixtures of the analytics tests: a lake holding the known conversation of dataset.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analytics.dataset import write_known_lake


@pytest.fixture
def known_lake(lake: Path) -> Path:
    """A lake root whose enriched zone holds the conversation of dataset.py (messages only)."""
    write_known_lake(lake / "enriched")
    return lake
