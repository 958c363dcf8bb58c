"""How the report writes numbers, dates and hours in Brazilian Portuguese (pure)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

WEEKDAYS = ("segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo")
"""ISO weekdays 1..7, Monday first."""
WEEKDAYS_SHORT = ("seg", "ter", "qua", "qui", "sex", "sáb", "dom")
CONTENT_TYPES = {
    "text": "texto",
    "photo": "foto",
    "video": "vídeo",
    "sticker": "figurinha",
    "voice": "áudio",
    "audio": "música",
    "document": "documento",
    "poll": "enquete",
    "location": "localização",
    "contact": "contato",
    "animation": "GIF",
    "video_note": "vídeo redondo",
    "new_chat_members": "entrada no grupo",
    "left_chat_member": "saída do grupo",
    "other": "outro",
}
CHAT_TYPES = {
    "private": "conversas privadas",
    "group": "grupo",
    "supergroup": "supergrupo",
    "channel": "canal",
}

INTENTS = {
    "(all)": "todas",
    "candidate": "ficha de candidato",
    "votes": "votos",
    "share": "percentual de votos",
    "rank": "posição no ranking",
    "position": "quem ficou em tal lugar",
    "winner": "quem ganhou",
    "compare": "comparação",
    "difference": "diferença de votos",
    "sum": "soma de votos",
    "best": "onde foi melhor",
    "worst": "onde foi pior",
    "won_any": "ganhou em algum lugar",
    "won_all": "ganhou em todos",
    "elected": "eleitos",
    "party_of": "partido de",
    "number_of": "número de urna",
    "party": "partido",
    "totals": "totais da eleição",
    "legenda": "votos de legenda",
    "count": "contagem",
    "zero_votes": "sem votos",
    "place_info": "local de votação",
    "second_round": "segundo turno",
    "seats_total": "vagas",
    "help": "ajuda",
    "limit": "fora dos dados",
    "clarify": "qual deles?",
    "sugestao": "nome parecido sugerido",
    "alias": "apelido aprovado",
    "perfil": "perfil",
    "none": "não entendida",
    "button": "botão",
}
"""The intents of ``resolution`` (the Ask values of :mod:`tglake.bot.question`, the bot's own
kinds, ``button``) in words; a command (``/candidato``) is shown as typed."""


def number(value: Any, decimals: int = 0) -> str:
    """``1234567.8`` → ``1.234.567,8``; None → ``—``."""
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,d}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def short_date(day: dt.date) -> str:
    """``seg 30/09``: what fits under a bar."""
    return f"{WEEKDAYS_SHORT[day.isoweekday() - 1]} {day.strftime('%d/%m')}"


def long_date(day: dt.date) -> str:
    """``seg, 30/09/2024``."""
    return f"{WEEKDAYS_SHORT[day.isoweekday() - 1]}, {date(day)}"


def hour(value: int) -> str:
    return f"{value:02d}h"


def hour_range(value: int) -> str:
    return f"{value:02d}h–{(value + 1) % 24:02d}h"


def cell(value: Any) -> str:
    """Any table cell, written the Brazilian way."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float):
        return number(value, 1 if value != int(value) else 0)
    return str(value)
