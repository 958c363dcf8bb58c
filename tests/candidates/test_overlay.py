"""The candidate data every bot answers from: the bundled file plus the lake's overlay, with one
failure behaviour (an unusable overlay → the bundled data and one WARNING)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from tglake.candidates import catalog, overlay
from tglake.candidates.overlay import OVERLAY_KEY, lake_candidates, save_overlay
from tglake.storage import LocalStore

OVERLAY = {
    "municipio": "MOGI DAS CRUZES",
    "fonte": "consulta_cand test",
    "candidatos": {"prefeito:22": {"nome_completo": "FULANO DE TAL"}},
}


def test_no_overlay_is_the_bundled_data_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        data = lake_candidates(LocalStore(tmp_path / "reference"))
    assert data is catalog.bundled()
    assert caplog.records == []


def test_an_imported_overlay_is_laid_over_the_bundled_data(tmp_path: Path) -> None:
    reference = LocalStore(tmp_path / "reference")
    save_overlay(reference, OVERLAY)
    data = lake_candidates(reference)
    assert data.profile_source == "consulta_cand test"
    assert data.by_number[22].profile == {"nome_completo": "FULANO DE TAL"}
    assert len(data.candidates) == len(catalog.bundled().candidates)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", f"{OVERLAY_KEY} is not JSON"),
        (b"[1, 2]", f"{OVERLAY_KEY} is not a JSON object"),
        (
            json.dumps({**OVERLAY, "municipio": "SANTOS"}).encode(),
            "the imported file is for 'SANTOS'",
        ),
    ],
)
def test_an_overlay_that_is_not_valid_falls_back_to_the_bundled_data_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, body: bytes, reason: str
) -> None:
    reference = LocalStore(tmp_path / "reference")
    reference.put(OVERLAY_KEY, body)
    with caplog.at_level(logging.WARNING, logger=overlay.__name__):
        data = lake_candidates(reference)
    assert data is catalog.bundled()
    [record] = caplog.records
    assert record.getMessage().startswith(
        f"candidate overlay not used, answering from the bundled data: {reason}"
    )


def test_an_unreachable_reference_zone_falls_back_to_the_bundled_data_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")  # reading under it fails with ENOTDIR, not "not found"
    with caplog.at_level(logging.WARNING, logger=overlay.__name__):
        data = lake_candidates(LocalStore(blocker / "reference"))
    assert data is catalog.bundled()
    [record] = caplog.records
    assert "cannot read candidates/overlay.json: Not a directory" in record.getMessage()
