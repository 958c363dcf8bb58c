"""The report: every question of the library as a chart and a table, in one HTML file.

``collect`` runs the queries (the only part that touches the lake), ``build_context`` turns
results into what the page shows (pure; it joins the 2024 votes of the bundled candidate data
onto the candidate questions), and ``render_html`` fills the Jinja2 template with
plotly.js inlined once, so the file opens anywhere with no network.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from tglake.analytics import bot_performance, charts, ptbr
from tglake.analytics.candidate_votes import with_candidates
from tglake.analytics.charts import PALETTE, Section
from tglake.analytics.results import QueryResult
from tglake.analytics.sql import Period, Query, load_query
from tglake.candidates.catalog import CandidateData, bundled
from tglake.errors import ConfigError

log = logging.getLogger(__name__)

SECTIONS = (*charts.SECTIONS, *bot_performance.SECTIONS)
"""Every section of the report, in page order within each part."""
GROUPS = tuple(
    g
    for group in charts.GROUPS
    for g in ((group, bot_performance.GROUP) if group.key == "bot" else (group,))
)
"""The parts of the report: "Desempenho do bot" right after "O bot"."""
QUERIES = tuple(dict.fromkeys(("summary", *(s.query for s in SECTIONS))))
"""What the report runs, each query once: the overview for the header, then the sections'."""


class Engine(Protocol):
    def run(self, query: Query, period: Period) -> QueryResult: ...


def collect(engine: Engine, period: Period) -> dict[str, QueryResult]:
    """Run every query of the report over ``period``."""
    return {name: engine.run(load_query(name), period) for name in QUERIES}


def _busiest(result: QueryResult, key: str) -> Any:
    best = max(result.records(), key=lambda r: (r["messages"], -_order(r[key])), default=None)
    return None if best is None else best[key]


def _order(value: Any) -> float:
    return float(value.toordinal()) if isinstance(value, dt.date) else float(value)


def key_figures(results: Mapping[str, QueryResult]) -> list[dict[str, str]]:
    """The header's numbers: messages, active users, busiest day and hour (earliest on ties)."""
    summary = results["summary"].records()[0]
    day = _busiest(results["messages_per_day"], "local_day")
    hour = _busiest(results["messages_per_hour"], "local_hour")
    return [
        {"label": "mensagens", "value": ptbr.number(summary["messages"])},
        {"label": "usuários ativos", "value": ptbr.number(summary["active_users"])},
        *_chat_figure(summary),
        {"label": "dia mais movimentado", "value": ptbr.long_date(day) if day else "—"},
        {
            "label": "hora mais movimentada",
            "value": ptbr.hour_range(hour) if hour is not None else "—",
        },
    ]


def _plural(count: int, one: str, many: str) -> str:
    return f"{ptbr.number(count)} {one if count == 1 else many}"


def _chat_figure(summary: Mapping[str, Any]) -> list[dict[str, str]]:
    """Conversations by kind: groups (and supergroups), channels and private conversations (one
    per person talking to the bot, counted by ``user_key``)."""
    if "chats" not in summary:
        return []
    detail = " · ".join(
        (
            _plural(summary["groups"] or 0, "grupo", "grupos"),
            _plural(summary["channels"] or 0, "canal", "canais"),
            _plural(summary["private_chats"] or 0, "privada", "privadas"),
        )
    )
    return [{"label": "conversas", "value": ptbr.number(summary["chats"]), "detail": detail}]


def scope_title(labels: tuple[str, ...] | None) -> str:
    """The page's title: which chats the report covers (all of them unless ``--chat``)."""
    base = "Relatório de conversas do bot"
    if not labels:
        return base
    names = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} e {labels[-1]}"
    return f"{base}: {names}"


def _table(section: Section, result: QueryResult) -> dict[str, Any]:
    rows = []
    for record in result.records():
        shown = section.cells(record) if section.cells else record
        rows.append([ptbr.cell(shown[c]) for c in result.columns])
    numeric = [
        all(isinstance(r[i], int | float) or r[i] is None for r in result.rows) and bool(rows)
        for i in range(len(result.columns))
    ]
    return {"headers": list(section.headers), "rows": rows, "numeric": numeric}


def _has_data(result: QueryResult) -> bool:
    if not result.rows:
        return False
    # single-row answers (averages, ratios) over no rows come back as a row of zeros/nulls
    return not (len(result.rows) == 1 and not any(result.rows[0][:1]))


def build_context(
    results: Mapping[str, QueryResult],
    period: Period,
    timezone: str,
    generated_at: dt.datetime,
    candidates: CandidateData | None = None,
    chats: tuple[str, ...] | None = None,
    alias_batches: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Everything the template shows, as plain data (``candidates``: the bundled data when
    not given; ``chats``: the names of the chats a ``--chat`` report covers)."""
    data = candidates if candidates is not None else bundled()
    sections = []
    for index, section in enumerate(SECTIONS):
        result = with_candidates(section.query, results[section.query], data)
        if section.view is not None:
            result = section.view(result)
        has_data = _has_data(result)
        sections.append(
            {
                "id": f"chart-{index}",
                "query": section.query,
                "name": section.name,
                "group": section.group,
                "title": section.title,
                "subtitle": section.subtitle,
                "wide": section.wide,
                "figure": section.figure(result) if has_data else None,
                "table": _table(section, result) if has_data else None,
            }
        )
    groups = []
    for group in GROUPS:
        members = [s for s in sections if s["group"] == group.key]
        if not members:
            continue
        # a part of the report with no data at all (no bot tables yet) is one short note
        empty = bool(group.title) and not any(s["figure"] for s in members)
        groups.append(
            {
                "key": group.key,
                "title": group.title,
                "intro": group.intro,
                "empty": group.empty if empty else None,
                "sections": members,
            }
        )
    return {
        "title": scope_title(chats),
        "period": f"{ptbr.date(period.start)} a {ptbr.date(period.end)}",
        "days": period.days,
        "timezone": timezone,
        "generated_at": generated_at.strftime("%d/%m/%Y %H:%M"),
        "figures": key_figures(results),
        "sections": sections,
        "groups": groups,
        "accent": PALETTE[0],
        "alias_batches": alias_batches or [],
    }


PLOTLY_BUNDLE = "vendor/plotly-finance.min.js"
"""plotly.js's smallest published bundle with every trace type the report draws (bar, pie,
scatter, indicator): 1.3 MB against 4.8 MB for the full one. Rebuilt from npm by
``scripts/build_plotly_bundle.py``; its licence is beside it."""


@cache
def _plotly_js() -> str:
    js = resources.files("tglake.analytics").joinpath(PLOTLY_BUNDLE).read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script")


def _json_for_script(value: Any) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(context: Mapping[str, Any]) -> str:
    """The whole self-contained page."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tglake.analytics", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = _json_for_script
    template = env.get_template("report.html.j2")
    return template.render(**context, plotly_js=_plotly_js())


def cannot_write(out: Path, exc: OSError) -> ConfigError:
    """The one line for a report path that cannot be written (no traceback)."""
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    blocker = next((p for p in out.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        reason = f"{blocker} is a file, not a folder"
    return ConfigError(
        f"cannot write the report to {out}: {reason}; give --out a file in a folder you can write"
    )


def write_report(html: str, out: Path) -> Path:
    """Write atomically: a browser or ``GET /report`` never sees half a page."""
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise cannot_write(out, exc) from None
    log.info("report written path=%s bytes=%d", out, len(html.encode()))
    return out


def check_report_path(out: Path) -> None:
    """Fail now, before the queries run, when ``out`` cannot be written (its folder is a file,
    read-only, or not a real folder like /proc): the same one line as a failed write."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise cannot_write(out, exc) from None
    if out.is_dir():
        raise ConfigError(f"cannot write the report to {out}: it is a folder; give --out a file")
