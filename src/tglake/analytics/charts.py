"""Query results → Plotly figure specs and tables, labelled in Brazilian Portuguese (pure).

A figure is plain JSON-able data (``{"data": [...], "layout": {...}}``) drawn in the page by
the inlined plotly.js, so building the report needs no plotting library at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from tglake.analytics import ptbr
from tglake.analytics.results import QueryResult

PALETTE = ("#0f766e", "#6366f1", "#f59e0b", "#e11d48", "#0ea5e9", "#84cc16", "#a855f7", "#64748b")
"""Teal first (the report's accent), then colours that stay apart for colour-blind readers."""
ACCENT = PALETTE[0]

Figure = dict[str, Any]


def _layout(**extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "height": 320,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {
            "family": "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "size": 13,
            "color": "#1f2937",
        },
        "separators": ",.",
        "colorway": list(PALETTE),
        "xaxis": {"gridcolor": "#eef0f3", "automargin": True},
        "yaxis": {"gridcolor": "#eef0f3", "automargin": True, "rangemode": "tozero"},
        "hoverlabel": {"font": {"family": "Inter, system-ui, sans-serif"}},
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def _count_axis(values: list[Any], title: str) -> dict[str, Any]:
    """A y axis of counts: whole-number ticks even when the counts are small."""
    axis: dict[str, Any] = {
        "title": {"text": title},
        "gridcolor": "#eef0f3",
        "rangemode": "tozero",
        "automargin": True,
        "tickformat": ",d",
    }
    if max((v or 0 for v in values), default=0) <= 8:
        axis["dtick"] = 1
    return axis


def bars(x: list[Any], y: list[Any], name: str, *, color: str = ACCENT) -> Figure:
    return {
        "data": [
            {
                "type": "bar",
                "x": x,
                "y": y,
                "name": name,
                "marker": {"color": color},
                "hovertemplate": "%{x}: %{y:,d} " + name + "<extra></extra>",
            }
        ],
        "layout": _layout(
            xaxis={"type": "category", "automargin": True}, yaxis=_count_axis(y, name)
        ),
    }


def ranking(labels: list[str], values: list[Any], name: str) -> Figure:
    """Horizontal bars, the largest on top: what top-N lists read best as."""
    height = max(200, 28 * len(labels) + 60)
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels[::-1],
                "x": values[::-1],
                "name": name,
                "marker": {"color": ACCENT},
                "hovertemplate": "%{y}: %{x:,d} " + name + "<extra></extra>",
            }
        ],
        "layout": _layout(
            height=height,
            margin={"l": 16, "r": 16, "t": 8, "b": 40},
            yaxis={"type": "category", "automargin": True},
            xaxis=_count_axis(values, name),
        ),
    }


def indicators(items: list[tuple[str, Any, str]]) -> Figure:
    """Big numbers side by side: (title, value, suffix)."""
    count = len(items)
    data = [
        {
            "type": "indicator",
            "mode": "number",
            "value": float(value or 0),
            "title": {"text": title, "font": {"size": 14, "color": "#4b5563"}},
            "number": {
                "suffix": suffix,
                "font": {"size": 40 if count <= 3 else 30, "color": ACCENT},
                "valueformat": ",.1~f",
            },
            "domain": {"x": [i / count + 0.02, (i + 1) / count - 0.02], "y": [0, 1]},
        }
        for i, (title, value, suffix) in enumerate(items)
    ]
    return {"data": data, "layout": _layout(height=180, margin={"l": 8, "r": 8, "t": 24, "b": 8})}


# ---------------------------------------------------------------- one builder per question


def day_labels(days: list[Any]) -> list[str]:
    """``seg 30/09`` for a week or two; just ``30/09`` when a month of bars must fit."""
    if len(days) <= 14:
        return [ptbr.short_date(d) for d in days]
    return [d.strftime("%d/%m") for d in days]


def messages_per_day(r: QueryResult) -> Figure:
    return bars(day_labels(r.column("local_day")), r.column("messages"), "mensagens")


def active_users_per_day(r: QueryResult) -> Figure:
    figure = bars(
        day_labels(r.column("local_day")),
        r.column("active_users"),
        "usuários ativos",
        color=PALETTE[1],
    )
    return figure


def new_vs_returning_users(r: QueryResult) -> Figure:
    days = day_labels(r.column("local_day"))
    figure = bars(days, r.column("new_users"), "novos", color=PALETTE[0])
    figure["data"][0]["name"] = "novos"
    figure["data"].append(
        {
            "type": "bar",
            "x": days,
            "y": r.column("returning_users"),
            "name": "recorrentes",
            "marker": {"color": PALETTE[1]},
            "hovertemplate": "%{x}: %{y:,d} recorrentes<extra></extra>",
        }
    )
    figure["layout"].update(
        barmode="stack", showlegend=True, legend={"orientation": "h", "y": 1.12, "x": 0}
    )
    totals = [
        a + b for a, b in zip(r.column("new_users"), r.column("returning_users"), strict=True)
    ]
    figure["layout"]["yaxis"] = _count_axis(totals, "usuários")
    return figure


def messages_per_hour(r: QueryResult) -> Figure:
    counts = dict(zip(r.column("local_hour"), r.column("messages"), strict=True))
    figure = bars(
        [ptbr.hour(h) for h in range(24)], [counts.get(h, 0) for h in range(24)], "mensagens"
    )
    figure["layout"]["xaxis"].update(tickangle=0, dtick=3)
    return figure


def messages_per_weekday(r: QueryResult) -> Figure:
    counts = dict(zip(r.column("iso_weekday"), r.column("messages"), strict=True))
    return bars(list(ptbr.WEEKDAYS), [counts.get(d, 0) for d in range(1, 8)], "mensagens")


def messages_per_user(r: QueryResult) -> Figure:
    figure = bars(
        [f"{b} msg" for b in r.column("bucket")], r.column("users"), "usuários", color=PALETTE[1]
    )
    figure["layout"]["xaxis"]["title"] = {"text": "mensagens enviadas por usuário"}
    return figure


def content_types(r: QueryResult) -> Figure:
    labels = [ptbr.CONTENT_TYPES.get(c, c) for c in r.column("content_type")]
    return {
        "data": [
            {
                "type": "pie",
                "hole": 0.55,
                "labels": labels,
                "values": r.column("messages"),
                "sort": False,
                "textinfo": "label+percent",
                "textposition": "outside",
                "marker": {"colors": list(PALETTE)},
                "hovertemplate": "%{label}: %{value:,d} mensagens<extra></extra>",
            }
        ],
        "layout": _layout(margin={"l": 24, "r": 24, "t": 24, "b": 24}),
    }


def message_length(r: QueryResult) -> Figure:
    row = r.records()[0]
    return indicators(
        [
            ("média (caracteres)", row["average_length"], ""),
            ("mediana (caracteres)", row["median_length"], ""),
        ]
    )


def edits_ratio(r: QueryResult) -> Figure:
    row = r.records()[0]
    return indicators(
        [
            ("mensagens", row["messages"], ""),
            ("edições", row["edits"], ""),
            ("edições por 100", row["edits_percent"] or 0, ""),
        ]
    )


def top_commands(r: QueryResult) -> Figure:
    return ranking(r.column("command"), r.column("messages"), "mensagens")


def top_hashtags(r: QueryResult) -> Figure:
    return ranking([f"#{h}" for h in r.column("hashtag")], r.column("uses"), "usos")


def top_words(r: QueryResult) -> Figure:
    return ranking(r.column("word"), r.column("uses"), "usos")


def chat_label(chat_type: str, title: str | None, chats: int) -> str:
    kind = ptbr.CHAT_TYPES.get(chat_type, chat_type)
    if chat_type == "private":
        return f"{kind} ({ptbr.number(chats)})"
    return f"{title or 'sem título'} ({kind})"


def messages_per_chat(r: QueryResult) -> Figure:
    labels = [chat_label(x["chat_type"], x["chat_title"], x["chats"]) for x in r.records()]
    return ranking(labels, r.column("messages"), "mensagens")


# ---------------------------------------------------------------- the bot and the candidates


def _stacked(days: list[str], series: list[tuple[str, list[Any], str]], axis: str) -> Figure:
    """Bars per day stacked by series: (name, values, colour)."""
    data = [
        {
            "type": "bar",
            "x": days,
            "y": values,
            "name": name,
            "marker": {"color": color},
            "hovertemplate": "%{x}: %{y:,d} " + name + "<extra></extra>",
        }
        for name, values, color in series
    ]
    totals = [sum(v or 0 for v in col) for col in zip(*(s[1] for s in series), strict=True)]
    return {
        "data": data,
        "layout": _layout(
            barmode="stack",
            showlegend=True,
            legend={"orientation": "h", "y": 1.12, "x": 0},
            xaxis={"type": "category", "automargin": True},
            yaxis=_count_axis(totals, axis),
        ),
    }


def bot_questions_per_day(r: QueryResult) -> Figure:
    return _stacked(
        day_labels(r.column("local_day")),
        [
            ("respondidas", r.column("answered"), PALETTE[0]),
            ("não encontradas", r.column("not_found"), PALETTE[3]),
        ],
        "perguntas",
    )


def bot_latency(r: QueryResult) -> Figure:
    row = r.records()[0]
    return indicators(
        [
            ("perguntas", row["questions"], ""),
            ("respondidas", row["answered_percent"] or 0, " %"),
            ("p50 (ms)", row["p50_ms"] or 0, ""),
            ("p95 (ms)", row["p95_ms"] or 0, ""),
        ]
    )


def searched_label(kind: str, target: str, name: str | None) -> str:
    """``MARA BERTAIOLLI (22)`` for a candidate, ``partido PL (22)`` for a party."""
    if kind == "partido":
        return f"partido {name or '?'} ({target})"
    return f"{name or 'candidato'} ({target})"


def bot_top_searched(r: QueryResult) -> Figure:
    labels = [searched_label(x["target_kind"], x["target"], x["name"]) for x in r.records()]
    return ranking(labels, r.column("searches"), "buscas")


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bot_not_found(r: QueryResult) -> Figure:
    figure = ranking([shorten(s) for s in r.column("search")], r.column("times"), "vezes")
    figure["data"][0]["marker"]["color"] = PALETTE[3]
    return figure


def bot_answered_per_day(r: QueryResult) -> Figure:
    answered, by_alias = r.column("answered"), r.column("by_alias")
    missed = [q - a for q, a in zip(r.column("questions"), answered, strict=True)]
    return _stacked(
        day_labels(r.column("day")),
        [
            ("respondidas", [a - b for a, b in zip(answered, by_alias, strict=True)], PALETTE[0]),
            ("por apelido aprovado", by_alias, PALETTE[1]),
            ("sem resposta", missed, PALETTE[3]),
        ],
        "perguntas",
    )


def bot_unresolved_misses(r: QueryResult) -> Figure:
    figure = ranking([shorten(s) for s in r.column("search")], r.column("people"), "pessoas")
    figure["data"][0]["marker"]["color"] = PALETTE[3]
    return figure


def beside_votes(labels: list[str], counts: list[Any], votes: list[Any]) -> Figure:
    """Mentions and 2024 votes as two bar panels sharing the names: buzz next to the ballot."""
    height = max(220, 28 * len(labels) + 80)
    names = labels[::-1]

    def trace(values: list[Any], name: str, axis: str, color: str) -> dict[str, Any]:
        return {
            "type": "bar",
            "orientation": "h",
            "y": names,
            "x": values[::-1],
            "name": name,
            "xaxis": axis,
            "yaxis": "y",
            "marker": {"color": color},
            "hovertemplate": "%{y}: %{x:,d} " + name + "<extra></extra>",
        }

    mentions_axis = {**_count_axis(counts, "menções"), "domain": [0, 0.46]}
    votes_axis = {
        "title": {"text": "votos em 2024"},
        "domain": [0.54, 1],
        "anchor": "y",
        "gridcolor": "#eef0f3",
        "rangemode": "tozero",
        "tickformat": ",d",
        "nticks": 4,
        "automargin": True,
    }
    return {
        "data": [
            trace(counts, "menções", "x", ACCENT),
            trace([v or 0 for v in votes], "votos em 2024", "x2", PALETTE[1]),
        ],
        "layout": _layout(
            height=height,
            margin={"l": 16, "r": 16, "t": 8, "b": 40},
            yaxis={"type": "category", "automargin": True},
            xaxis=mentions_axis,
            xaxis2=votes_axis,
        ),
    }


def candidate_label(name: str | None, number: Any, party: str | None = None) -> str:
    base = name or f"candidato {number}"
    return f"{base} ({party})" if party else f"{base} ({number})"


def top_mentioned_candidates(r: QueryResult) -> Figure:
    labels = [
        candidate_label(x["ballot_name"], x["candidate_number"], x["party"]) for x in r.records()
    ]
    return beside_votes(labels, r.column("mentions"), r.column("votes"))


def top_mentioned_parties(r: QueryResult) -> Figure:
    return beside_votes(r.column("party"), r.column("mentions"), r.column("votes"))


def lines_per_day(r: QueryResult, series: list[tuple[Any, str]], key: str) -> Figure:
    """One line per series over every day of the result (a day without mentions is 0)."""
    days = sorted(set(r.column("local_day")))
    counts = {(x["local_day"], x[key]): x["mentions"] for x in r.records()}
    labels = day_labels(days)
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": labels,
            "y": [counts.get((d, value), 0) for d in days],
            "name": name,
            "line": {"color": PALETTE[i % len(PALETTE)], "width": 2.5},
            "hovertemplate": name + " · %{x}: %{y:,d} menções<extra></extra>",
        }
        for i, (value, name) in enumerate(series)
    ]
    return {
        "data": data,
        "layout": _layout(
            height=380,
            showlegend=True,
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
            margin={"l": 56, "r": 16, "t": 64, "b": 48},
            xaxis={"type": "category", "automargin": True},
            yaxis=_count_axis(list(counts.values()), "menções"),
        ),
    }


def mentions_per_day(r: QueryResult) -> Figure:
    totals: dict[Any, int] = {}
    names: dict[Any, str] = {}
    for x in r.records():
        totals[x["candidate_number"]] = totals.get(x["candidate_number"], 0) + x["mentions"]
        names[x["candidate_number"]] = candidate_label(x["ballot_name"], x["candidate_number"])
    order = sorted(totals, key=lambda n: (-totals[n], n))
    return lines_per_day(r, [(n, names[n]) for n in order], "candidate_number")


def party_mentions_per_day(r: QueryResult) -> Figure:
    totals: dict[str, int] = {}
    for x in r.records():
        totals[x["party"]] = totals.get(x["party"], 0) + x["mentions"]
    order = sorted(totals, key=lambda p: (-totals[p], p))
    return lines_per_day(r, [(p, p) for p in order], "party")


def _number_as_text(record: dict[str, Any], *columns: str) -> dict[str, Any]:
    """Ballot numbers are names, not quantities: ``22222``, never ``22.222``."""
    return {**record, **{c: str(record[c]) for c in columns if record[c] is not None}}


@dataclasses.dataclass(frozen=True)
class Section:
    """One question in the report: its query, its pt-BR title and how to draw it."""

    query: str
    title: str
    subtitle: str
    figure: Callable[[QueryResult], Figure]
    headers: tuple[str, ...]
    """pt-BR column headers of the table, in the query's column order."""
    wide: bool = False
    cells: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """Turns a row's codes into words (weekday 1 → segunda) before it is written as text."""
    group: str = "conversation"
    """The part of the report it belongs to (a key of :data:`GROUPS`)."""
    key: str = ""
    """The section's own name (its HTML id) when several sections read one query; else the
    query's name."""
    view: Callable[[QueryResult], QueryResult] | None = None
    """Picks and orders the rows this section shows (never computes new numbers)."""

    @property
    def name(self) -> str:
        return self.key or self.query


@dataclasses.dataclass(frozen=True)
class Group:
    """A part of the report, with the note it shows when none of its questions has data."""

    key: str
    title: str
    intro: str
    empty: str


GROUPS: tuple[Group, ...] = (
    Group("conversation", "", "", "Sem dados neste período."),
    Group(
        "bot",
        "O bot",
        "O que perguntaram ao bot de candidatos, o que ele encontrou e em quanto tempo respondeu.",
        "Sem dados do bot neste período: nenhuma resposta registrada.",
    ),
    Group(
        "loop",
        "O que o bot aprendeu",
        "Buscas sem resposta que as próprias pessoas resolveram viram apelidos aprovados "
        "(tglake bot suggest); aqui, a parte respondida por dia, antes e depois de cada lote.",
        "Sem perguntas ao bot neste período.",
    ),
    Group(
        "mentions",
        "Candidatos nas conversas",
        "Mensagens que citam um candidato (nome de urna, parte distintiva dele ou número), "
        "ao lado dos votos de 2024 (TSE).",
        "Sem menções a candidatos neste período.",
    ),
)


SECTIONS: tuple[Section, ...] = (
    Section(
        "messages_per_day",
        "Mensagens por dia",
        "Mensagens novas (edições não contam).",
        messages_per_day,
        ("dia", "mensagens"),
        wide=True,
    ),
    Section(
        "active_users_per_day",
        "Usuários ativos por dia",
        "Pessoas diferentes que escreveram em cada dia.",
        active_users_per_day,
        ("dia", "usuários ativos"),
    ),
    Section(
        "new_vs_returning_users",
        "Usuários novos e recorrentes",
        "Novo: primeira mensagem de todas naquele dia.",
        new_vs_returning_users,
        ("dia", "novos", "recorrentes"),
    ),
    Section(
        "messages_per_hour",
        "Mensagens por hora do dia",
        "No fuso horário do relatório.",
        messages_per_hour,
        ("hora", "mensagens"),
        cells=lambda r: {**r, "local_hour": ptbr.hour_range(r["local_hour"])},
    ),
    Section(
        "messages_per_weekday",
        "Mensagens por dia da semana",
        "No fuso horário do relatório.",
        messages_per_weekday,
        ("dia da semana", "mensagens"),
        cells=lambda r: {**r, "iso_weekday": ptbr.WEEKDAYS[r["iso_weekday"] - 1]},
    ),
    Section(
        "messages_per_user",
        "Mensagens por usuário",
        "Quantos usuários enviaram quantas mensagens (sem nomes).",
        messages_per_user,
        ("mensagens por usuário", "usuários", "mensagens"),
    ),
    Section(
        "content_types",
        "Tipos de conteúdo",
        "Texto, foto, figurinha, áudio…",
        content_types,
        ("tipo", "mensagens", "%"),
        cells=lambda r: {
            **r,
            "content_type": ptbr.CONTENT_TYPES.get(r["content_type"], r["content_type"]),
        },
    ),
    Section(
        "message_length",
        "Tamanho das mensagens",
        "Mensagens com texto ou legenda.",
        message_length,
        ("mensagens com texto", "média", "mediana"),
    ),
    Section(
        "edits_ratio",
        "Edições",
        "Com que frequência as mensagens são editadas.",
        edits_ratio,
        ("mensagens", "edições", "edições por 100 mensagens"),
    ),
    Section(
        "top_commands",
        "Comandos mais usados",
        "Comandos enviados ao bot.",
        top_commands,
        ("comando", "mensagens", "usuários"),
    ),
    Section(
        "top_hashtags",
        "Hashtags mais usadas",
        "Em minúsculas.",
        top_hashtags,
        ("hashtag", "usos", "usuários"),
    ),
    Section(
        "top_words",
        "Palavras mais usadas",
        "Sem palavras comuns do português, links, comandos e hashtags.",
        top_words,
        ("palavra", "usos", "usuários"),
    ),
    Section(
        "messages_per_chat",
        "Mensagens por conversa",
        "Grupos e canais pelo nome; conversas privadas somadas.",
        messages_per_chat,
        ("tipo", "conversa", "conversas", "mensagens", "usuários"),
        cells=lambda r: {**r, "chat_type": ptbr.CHAT_TYPES.get(r["chat_type"], r["chat_type"])},
    ),
    Section(
        "bot_questions_per_day",
        "Perguntas por dia",
        "Respondidas e não encontradas (nada correspondeu à busca).",
        bot_questions_per_day,
        ("dia", "perguntas", "respondidas", "não encontradas"),
        wide=True,
        group="bot",
    ),
    Section(
        "bot_latency",
        "Tempo de resposta",
        "Da chegada da mensagem à resposta pronta, em milissegundos (p50: metade mais rápida).",
        bot_latency,
        ("perguntas", "% respondidas", "p50 (ms)", "p95 (ms)", "máximo (ms)"),
        group="bot",
    ),
    Section(
        "bot_top_searched",
        "Candidatos e partidos mais procurados",
        "Buscas que encontraram um só resultado; um botão escolhido numa lista também conta.",
        bot_top_searched,
        ("tipo", "número", "nome", "buscas", "pessoas"),
        group="bot",
    ),
    Section(
        "bot_not_found",
        "Buscas sem resultado",
        "O que foi digitado, em minúsculas, das mais frequentes para as menos.",
        bot_not_found,
        ("busca", "vezes", "último dia"),
        group="bot",
    ),
    Section(
        "bot_answered_per_day",
        "Perguntas respondidas por dia",
        "Buscas com palavras (botões não contam); «por apelido aprovado»: respondidas graças "
        "a um apelido.",
        bot_answered_per_day,
        ("dia", "perguntas", "respondidas", "% respondidas", "por apelido"),
        wide=True,
        group="loop",
    ),
    Section(
        "bot_unresolved_misses",
        "Buscas sem resposta que ninguém resolveu",
        "Nem a pessoa achou outra resposta em 10 minutos: para alguém olhar (apelido novo, "
        "dado que falta).",
        bot_unresolved_misses,
        ("busca", "pessoas", "vezes", "último dia"),
        group="loop",
    ),
    Section(
        "top_mentioned_candidates",
        "Candidatos mais citados",
        "Mensagens que citam cada um, ao lado dos votos que recebeu em 2024.",
        top_mentioned_candidates,
        ("número", "candidato", "cargo", "partido", "menções", "pessoas", "votos em 2024"),
        wide=True,
        cells=lambda r: _number_as_text(r, "candidate_number"),
        group="mentions",
    ),
    Section(
        "top_mentioned_parties",
        "Partidos mais citados",
        "Menções aos candidatos de cada partido; votos para vereador em 2024 (nominais + legenda).",
        top_mentioned_parties,
        ("partido", "menções", "candidatos citados", "pessoas", "votos para vereador em 2024"),
        group="mentions",
    ),
    Section(
        "mentions_per_day",
        "Candidatos citados por dia",
        "Os cinco mais citados no período.",
        mentions_per_day,
        ("dia", "número", "candidato", "menções"),
        cells=lambda r: _number_as_text(r, "candidate_number"),
        group="mentions",
    ),
    Section(
        "party_mentions_per_day",
        "Partidos citados por dia",
        "Os cinco partidos mais citados no período.",
        party_mentions_per_day,
        ("dia", "partido", "menções"),
        group="mentions",
    ),
)
