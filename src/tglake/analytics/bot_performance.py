"""The report's "Desempenho do bot": sessions, the resolution funnel, abandonment, weekly
return, intents and re-asks, drawn from the ``sessions``, ``resolution``, ``retention`` and
``reasks`` queries (pure; pt-BR labels).

Several sections read one query: each picks its rows with :attr:`Section.view` (a filter and an
order, never new numbers), so every figure and table holds numbers ``tglake query`` prints.
"""

from __future__ import annotations

from typing import Any

from tglake.analytics import ptbr
from tglake.analytics.charts import (
    ACCENT,
    PALETTE,
    Figure,
    Group,
    Section,
    _layout,
    bars,
    day_labels,
    ranking,
    searched_label,
)
from tglake.analytics.results import QueryResult

ALL = "(all)"
"""The total row of ``resolution`` and ``reasks``."""
TOP = 10
LIGHT = (240, 253, 250)
"""The heat map's 0 %: a teal so light it reads as white; 100 % is the report's accent."""

GROUP = Group(
    "performance",
    "Desempenho do bot",
    "Sessões (as mensagens de uma pessoa sem 30 minutos de silêncio, ou o intervalo "
    "configurado), se a pergunta foi resolvida de primeira, depois de reformulada ou abandonada, "
    "quem voltou nas semanas seguintes e o que perguntaram de novo.",
    "Sem conversas com o bot neste período.",
)


def _rows(r: QueryResult, keep: Any, key: Any = None, limit: int | None = None) -> QueryResult:
    """``r`` with only the rows ``keep`` accepts, ordered by ``key`` (stable), at most ``limit``."""
    pairs = [(row, rec) for row, rec in zip(r.rows, r.records(), strict=True) if keep(rec)]
    if key is not None:
        pairs.sort(key=lambda pair: key(pair[1]))
    return QueryResult(r.columns, tuple(row for row, _ in pairs[:limit]))


def total_row(r: QueryResult) -> QueryResult:
    return _rows(r, lambda x: x["intent"] == ALL)


def most_asked(r: QueryResult) -> QueryResult:
    return _rows(r, lambda x: x["intent"] != ALL, limit=TOP)  # the query orders by asked


def worst_resolved(r: QueryResult) -> QueryResult:
    return _rows(
        r,
        lambda x: x["intent"] != ALL and x["resolved_percent"] < 100,
        key=lambda x: (x["resolved_percent"], -x["asked"], x["intent"]),
        limit=TOP,
    )


def abandoning(r: QueryResult) -> QueryResult:
    return _rows(
        r,
        lambda x: x["intent"] != ALL and x["abandoned"] > 0,
        key=lambda x: (-x["abandoned"], -x["asked"], x["intent"]),
        limit=TOP,
    )


def reasked(r: QueryResult) -> QueryResult:
    return _rows(r, lambda x: x["subject"] != ALL)


def intent_label(intent: str) -> str:
    return ptbr.INTENTS.get(intent, intent)


def sessions_per_day(r: QueryResult) -> Figure:
    days = day_labels(r.column("local_day"))
    figure = bars(days, r.column("sessions"), "sessões")
    figure["data"].append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": days,
            "y": r.column("people"),
            "name": "pessoas",
            "line": {"color": PALETTE[1], "width": 2.5},
            "hovertemplate": "%{x}: %{y:,d} pessoas<extra></extra>",
        }
    )
    figure["layout"].update(showlegend=True, legend={"orientation": "h", "y": 1.12, "x": 0})
    return figure


def resolution_funnel(r: QueryResult) -> Figure:
    row = r.records()[0]
    stages = [
        ("perguntas", row["asked"]),
        ("resolvidas na sessão", row["first_try"] + row["after_rephrase"]),
        ("resolvidas de primeira", row["first_try"]),
    ]
    return {
        "data": [
            {
                "type": "funnel",
                "y": [s[0] for s in stages],
                "x": [s[1] for s in stages],
                "texttemplate": "%{value:,d}<br>%{percentInitial:.1%}",
                "marker": {"color": [ACCENT, PALETTE[4], PALETTE[1]]},
                "hovertemplate": "%{y}: %{x:,d}<extra></extra>",
            }
        ],
        "layout": _layout(margin={"l": 16, "r": 16, "t": 8, "b": 24}, height=260),
    }


def _intent_ranking(r: QueryResult, column: str, name: str, color: str) -> Figure:
    figure = ranking([intent_label(i) for i in r.column("intent")], r.column(column), name)
    figure["data"][0]["marker"]["color"] = color
    return figure


def asked_intents(r: QueryResult) -> Figure:
    return _intent_ranking(r, "asked", "perguntas", ACCENT)


def abandoned_intents(r: QueryResult) -> Figure:
    return _intent_ranking(r, "abandoned", "abandonadas", PALETTE[3])


def worst_intents(r: QueryResult) -> Figure:
    labels = [intent_label(i) for i in r.column("intent")]
    values = [float(v) for v in r.column("resolved_percent")]
    figure = ranking(labels, values, "% resolvidas")
    trace = figure["data"][0]
    trace.update(
        marker={"color": PALETTE[2]}, hovertemplate="%{y}: %{x:.1f} % resolvidas<extra></extra>"
    )
    figure["layout"]["xaxis"] = {
        "title": {"text": "% resolvidas na sessão"},
        "range": [0, 100],
        "gridcolor": "#eef0f3",
        "automargin": True,
    }
    return figure


def _shade(percent: float) -> str:
    """The heat map's colour for a share: from :data:`LIGHT` (0 %) to the accent (100 %)."""
    dark = tuple(int(ACCENT[i : i + 2], 16) for i in (1, 3, 5))
    share = max(0.0, min(1.0, percent / 100))
    rgb = (round(lo + (hi - lo) * share) for lo, hi in zip(LIGHT, dark, strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def retention_heatmap(r: QueryResult) -> Figure:
    """The triangle of weekly cohorts as a heat map: a coloured rectangle per (cohort, week),
    drawn as layout shapes (the bundled plotly.js has no heatmap trace), with the share written
    in each cell by a text trace that also carries the hover."""
    cohorts = sorted(set(r.column("cohort_week")))
    row_of = {week: i for i, week in enumerate(cohorts)}
    shapes, xs, ys, texts, hovers, colours = [], [], [], [], [], []
    for x in r.records():
        i, k, percent = row_of[x["cohort_week"]], x["week_number"], float(x["active_percent"])
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": k - 0.5,
                "x1": k + 0.5,
                "y0": i - 0.5,
                "y1": i + 0.5,
                "fillcolor": _shade(percent),
                "line": {"color": "#ffffff", "width": 2},
                "layer": "below",
            }
        )
        xs.append(k)
        ys.append(i)
        texts.append(f"{ptbr.number(percent, 0)} %")
        hovers.append(
            f"semana de {ptbr.date(x['cohort_week'])}, semana {k}: "
            f"{ptbr.number(x['active_people'])} de {ptbr.number(x['people'])} pessoas"
        )
        colours.append("#ffffff" if percent > 55 else "#1f2937")
    weeks = max(r.column("week_number"), default=0)
    labels = [
        f"{w.strftime('%d/%m')} ({ptbr.number(n)})"
        for w, n in sorted({(x["cohort_week"], x["people"]) for x in r.records()})
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "text",
                "x": xs,
                "y": ys,
                "text": texts,
                "hovertext": hovers,
                "hoverinfo": "text",
                "textfont": {"color": colours, "size": 13},
                "name": "pessoas ativas",
            }
        ],
        "layout": _layout(
            height=max(220, 44 * len(cohorts) + 110),
            margin={"l": 16, "r": 16, "t": 8, "b": 48},
            shapes=shapes,
            xaxis={
                "title": {"text": "semanas depois da primeira"},
                "range": [-0.5, weeks + 0.5],
                "tickvals": list(range(weeks + 1)),
                "showgrid": False,
                "zeroline": False,
                "automargin": True,
            },
            yaxis={
                "range": [len(cohorts) - 0.5, -0.5],
                "tickvals": list(range(len(cohorts))),
                "ticktext": labels,
                "showgrid": False,
                "zeroline": False,
                "automargin": True,
            },
        ),
    }


def subject_label(subject: str, name: str | None) -> str:
    if subject.startswith("bairro:"):
        return f"bairro {subject.removeprefix('bairro:')}"
    if subject.startswith("partido:"):
        return searched_label("partido", subject.removeprefix("partido:"), name)
    return searched_label("candidato", subject, name)


def reasks(r: QueryResult) -> Figure:
    labels = [subject_label(x["subject"], x.get("name")) for x in r.records()]
    figure = ranking(labels, r.column("reasked_within_24h"), "em 24 h")
    figure["layout"]["xaxis"]["title"] = {"text": "perguntas de novo"}
    figure["data"].append(
        {
            **figure["data"][0],
            "x": r.column("reasked_later")[::-1],
            "name": "depois",
            "marker": {"color": PALETTE[1]},
            "hovertemplate": "%{y}: %{x:,d} depois de 24 h<extra></extra>",
        }
    )
    figure["layout"].update(
        barmode="stack",
        showlegend=True,
        legend={"orientation": "h", "y": 1.08, "x": 0, "traceorder": "normal"},
    )
    return figure


RESOLUTION_HEADERS = (
    "intenção",
    "perguntas",
    "de primeira",
    "após reformular",
    "sem resposta",
    "abandonadas",
    "% de primeira",
    "% resolvidas",
)


def _intent_cells(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "intent": intent_label(record["intent"])}


def _subject_cells(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "subject": subject_label(record["subject"], record.get("name"))}


def _section(key: str, query: str, title: str, subtitle: str, figure: Any, **rest: Any) -> Section:
    return Section(query, title, subtitle, figure, key=key, group=GROUP.key, **rest)


SECTIONS: tuple[Section, ...] = (
    _section(
        "sessions",
        "sessions",
        "Sessões por dia",
        "Sessão: as mensagens e botões de uma pessoa sem um silêncio do intervalo de sessão; "
        "conta no dia em que começa.",
        sessions_per_day,
        headers=("dia", "sessões", "pessoas", "turnos", "mediana de turnos", "mediana (s)"),
        wide=True,
    ),
    _section(
        "resolution_funnel",
        "resolution",
        "Funil de resolução",
        "Perguntas com palavras (reformulações não contam de novo): resolvidas na mesma sessão "
        "e de primeira.",
        resolution_funnel,
        headers=RESOLUTION_HEADERS,
        view=total_row,
        cells=_intent_cells,
    ),
    _section(
        "abandonment",
        "resolution",
        "Abandono depois de um «não encontrei»",
        "A pessoa não tentou de novo na sessão; por intenção da pergunta.",
        abandoned_intents,
        headers=RESOLUTION_HEADERS,
        view=abandoning,
        cells=_intent_cells,
    ),
    _section(
        "retention",
        "retention",
        "Quem voltou nas semanas seguintes",
        "Pessoas pela semana da primeira conversa com o bot (segunda a domingo) e a parte que "
        "conversou de novo em cada semana depois.",
        retention_heatmap,
        headers=("primeira semana", "semana", "pessoas", "ativas", "% ativas"),
    ),
    _section(
        "asked_intents",
        "resolution",
        "Intenções mais pedidas",
        "O que o bot entendeu de cada pergunta (texto livre) ou o comando usado.",
        asked_intents,
        headers=RESOLUTION_HEADERS,
        view=most_asked,
        cells=_intent_cells,
    ),
    _section(
        "worst_intents",
        "resolution",
        "Intenções com pior resolução",
        "A menor parte resolvida na sessão primeiro.",
        worst_intents,
        headers=RESOLUTION_HEADERS,
        view=worst_resolved,
        cells=_intent_cells,
    ),
    _section(
        "reasks",
        "reasks",
        "Perguntou de novo",
        "A mesma pessoa sobre o mesmo candidato, partido ou bairro numa sessão seguinte: em até "
        "24 h ou depois.",
        reasks,
        headers=("assunto", "nome", "pessoas", "perguntas", "de novo em 24 h", "depois de 24 h"),
        view=reasked,
        cells=_subject_cells,
        wide=True,
    ),
)
