"""The report in a real headless Chromium (Debian's ``chromium``): it loads with no console
errors and no network, every chart is drawn, and a screenshot is kept in test-artifacts/."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.analytics.chromium import Browser
from tests.lakebuild import messages_lake
from tglake.analytics import service
from tglake.analytics.report import SECTIONS
from tglake.config import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NOW = dt.datetime(2024, 10, 3, 6, 0, tzinfo=dt.UTC)

CHARTS_DRAWN = """
new Promise((resolve) => {
  const started = Date.now();
  const check = () => {
    const charts = Array.from(document.querySelectorAll('.chart'));
    const drawn = charts.map((el) => ({
      id: el.id,
      svg: el.querySelectorAll('svg.main-svg').length,
      traces: el.querySelectorAll('g.trace').length,
      width: Math.round(el.getBoundingClientRect().width),
    }));
    if (drawn.every((c) => c.svg > 0 && c.traces > 0) || Date.now() - started > 10000) {
      resolve(drawn);
    } else {
      setTimeout(check, 50);
    }
  };
  check();
})
"""


LOADED = """
new Promise((resolve) => {
  const started = Date.now();
  const check = () => {
    const done = location.href === %s && document.readyState === 'complete';
    if (done || Date.now() - started > 10000) resolve(done); else setTimeout(check, 50);
  };
  check();
})
"""


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory, known_lake_master: Path) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    return service.build_report(Settings(lake=str(known_lake_master)), out, now=NOW)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as chromium:
        yield chromium


def test_the_report_loads_with_every_chart_drawn_and_no_errors(
    browser: Browser, report_file: Path
) -> None:
    browser.open(report_file.as_uri(), width=1280, height=900)
    charts = browser.evaluate(CHARTS_DRAWN)
    assert len(charts) == len(SECTIONS)
    assert [c for c in charts if c["svg"] == 0 or c["traces"] == 0] == []
    assert browser.console_errors() == []
    assert browser.requested_urls() == [report_file.as_uri()]  # nothing from the network
    assert browser.evaluate("document.title") == (
        "Relatório de conversas do bot · 30/09/2024 a 02/10/2024"
    )
    shot = browser.screenshot(ARTIFACTS / "report.png", width=1280)
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_the_report_fits_a_phone_screen(browser: Browser, report_file: Path) -> None:
    browser.open(report_file.as_uri(), width=390, height=844)
    charts = browser.evaluate(CHARTS_DRAWN)
    assert all(0 < c["width"] <= 390 for c in charts)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    assert browser.console_errors() == []
    browser.screenshot(ARTIFACTS / "report-phone.png", width=390)


def test_a_lake_without_bot_tables_draws_the_rest_and_notes_the_gap(
    browser: Browser, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    messages_lake(
        lake,
        [
            ("2024-09-30 12:00", "bom dia #mogi", 1),
            ("2024-10-01 13:00", "/start", 2),
            ("2024-10-02 13:00", "debate hoje", 1),
        ],
    )
    out = service.build_report(Settings(lake=str(lake)), tmp_path / "report.html", now=NOW)
    browser.open(out.as_uri(), width=1280, height=900)
    loaded = browser.evaluate(LOADED % json.dumps(out.as_uri()))
    assert loaded
    charts = browser.evaluate(CHARTS_DRAWN)
    conversation = [s for s in SECTIONS if s.group == "conversation"]
    assert len(charts) == len(conversation)
    assert [c for c in charts if c["svg"] == 0 or c["traces"] == 0] == []
    assert browser.console_errors() == []
    notes = browser.evaluate(
        "Array.from(document.querySelectorAll('.group-empty')).map((e) => e.textContent)"
    )
    assert notes == [
        "Sem dados do bot neste período: nenhuma resposta registrada.",
        "Sem conversas com o bot neste período.",
        "Sem perguntas ao bot neste período.",
        "Sem menções a candidatos neste período.",
    ]
