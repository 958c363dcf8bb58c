"""The report: query results → what the page shows (pure), and the page itself."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.lakebuild import Updates, build_lake, group, person
from tglake.analytics import ptbr, report
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.report import SECTIONS
from tglake.analytics.results import QueryResult
from tglake.analytics.sql import Period

PERIOD = Period(dt.date(2024, 9, 30), dt.date(2024, 10, 2))
NOW = dt.datetime(2024, 10, 3, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def results(known_lake_master: Path) -> dict[str, QueryResult]:
    engine = DuckDBEngine(str(known_lake_master / "enriched"), timezone="America/Sao_Paulo")
    return report.collect(engine, PERIOD)


@pytest.fixture
def context(results: dict[str, QueryResult]) -> dict[str, Any]:
    return report.build_context(results, PERIOD, "America/Sao_Paulo", NOW)


def test_the_header_shows_the_period_and_the_key_figures(context: dict[str, Any]) -> None:
    assert context["period"] == "30/09/2024 a 02/10/2024"
    assert context["days"] == 3
    assert context["figures"] == [
        {"label": "mensagens", "value": "12"},
        {"label": "usuários ativos", "value": "5"},
        {"label": "conversas", "value": "6", "detail": "2 grupos · 1 canal · 3 privadas"},
        {"label": "dia mais movimentado", "value": "seg, 30/09/2024"},
        {"label": "hora mais movimentada", "value": "09h–10h"},
    ]


def test_there_is_a_section_with_a_chart_for_every_question(context: dict[str, Any]) -> None:
    assert [s["query"] for s in context["sections"]] == [s.query for s in SECTIONS]
    assert all(s["figure"] and s["figure"]["data"] for s in context["sections"])


def test_hours_and_weekdays_are_drawn_complete_and_in_portuguese(context: dict[str, Any]) -> None:
    by_query = {s["query"]: s for s in context["sections"]}
    hours = by_query["messages_per_hour"]["figure"]["data"][0]
    assert hours["x"][:2] == ["00h", "01h"]
    assert len(hours["x"]) == 24
    assert hours["y"][9] == 5
    assert hours["y"][23] == 1
    assert sum(hours["y"]) == 12
    weekdays = by_query["messages_per_weekday"]["figure"]["data"][0]
    assert weekdays["x"] == list(ptbr.WEEKDAYS)
    assert weekdays["y"] == [4, 4, 4, 0, 0, 0, 0]
    assert by_query["messages_per_weekday"]["table"]["rows"][0] == ["segunda", "4"]


def test_tables_are_written_the_brazilian_way(context: dict[str, Any]) -> None:
    by_query = {s["query"]: s for s in context["sections"]}
    assert by_query["message_length"]["table"]["rows"] == [["11", "31,1", "28"]]
    assert by_query["content_types"]["table"]["rows"][2] == ["figurinha", "1", "8,3"]
    assert by_query["messages_per_chat"]["table"]["rows"][0] == [
        "conversas privadas",
        "—",
        "3",
        "6",
        "3",
    ]
    labels = by_query["messages_per_chat"]["figure"]["data"][0]["y"]
    assert "conversas privadas (3)" in labels


def test_a_question_without_answers_says_so_instead_of_an_empty_chart(lake: Path) -> None:
    updates = Updates()
    updates.message(person(1, "A"), group(-5, "G"), "2024-10-01 12:00", content={"sticker": {}})
    build_lake(lake, updates)
    engine = DuckDBEngine(str(lake / "enriched"), timezone="America/Sao_Paulo")
    context = report.build_context(report.collect(engine, PERIOD), PERIOD, "UTC", NOW)
    by_query = {s["query"]: s for s in context["sections"]}
    assert by_query["top_hashtags"]["figure"] is None
    assert by_query["message_length"]["figure"] is None
    assert by_query["messages_per_day"]["figure"] is not None
    assert '<p class="empty">Sem dados neste período.</p>' in report.render_html(context)


def test_busiest_hour_on_a_tie_is_the_earliest() -> None:
    hours = QueryResult(("local_hour", "messages"), ((0, 5), (7, 5), (9, 1)))
    days = QueryResult(("local_day", "messages"), ((dt.date(2024, 10, 2), 2),))
    summary = QueryResult(("messages", "active_users"), ((11, 3),))
    figures = report.key_figures(
        {"summary": summary, "messages_per_day": days, "messages_per_hour": hours}
    )
    assert figures[3] == {"label": "hora mais movimentada", "value": "00h–01h"}


def test_the_page_is_self_contained(context: dict[str, Any]) -> None:
    html = report.render_html(context)
    assert html.count("Plotly.newPlot") == 1
    assert html.count('id="fig-chart-') == len(SECTIONS)
    assert '<html lang="pt-BR">' in html
    # nothing is fetched: no external script, stylesheet, image or font
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html
    assert "url(http" not in html


def test_text_from_the_chat_cannot_break_out_of_the_page(lake: Path) -> None:
    evil = "</script><script>alert(1)</script>"
    updates = Updates()
    updates.message(person(1, "A"), group(-1, evil, "group"), "2024-10-01 12:00", evil)
    build_lake(lake, updates)
    engine = DuckDBEngine(str(lake / "enriched"), timezone="America/Sao_Paulo")
    html = report.render_html(
        report.build_context(report.collect(engine, PERIOD), PERIOD, "UTC", NOW)
    )
    assert "<script>alert(1)" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # in the table, escaped


def test_numbers_dates_and_hours_in_portuguese() -> None:
    assert ptbr.number(1234567) == "1.234.567"
    assert ptbr.number(29.14, 1) == "29,1"
    assert ptbr.number(None) == "—"
    assert ptbr.long_date(dt.date(2024, 10, 6)) == "dom, 06/10/2024"
    assert ptbr.hour_range(23) == "23h–00h"


def test_write_report_replaces_the_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old")
    report.write_report("<html>new</html>", out)
    assert out.read_text() == "<html>new</html>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_the_inlined_plotly_bundle_holds_every_trace_type_the_report_draws(
    context: dict[str, Any],
) -> None:
    from importlib import resources

    from tests.infra.scripts import load_script

    vendor = resources.files("tglake.analytics") / "vendor"
    manifest = json.loads((vendor / "plotly.json").read_text(encoding="utf-8"))
    bundle = (vendor / manifest["file"]).read_text(encoding="utf-8")
    used = {t["type"] for s in context["sections"] if s["figure"] for t in s["figure"]["data"]}
    script = load_script("build_plotly_bundle")
    assert used == set(script.TRACES)  # the rebuild script checks exactly what the report uses
    assert used <= script.registered_traces(bundle)
    assert len(bundle.encode()) == manifest["bytes"]
    assert f"v{manifest['version']}" in bundle[:200]
    assert "MIT License" in (vendor / "LICENSE-plotly.js.txt").read_text(encoding="utf-8")
    assert report.PLOTLY_BUNDLE.endswith(manifest["file"])
