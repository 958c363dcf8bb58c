"""Plain-Portuguese questions through the real webhook: one test per intent, each asked as
voters write (with and without accents, with a typo, in private and addressed in a group)."""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.helpers import serve_in_thread
from tglake.adapters.http import create_app
from tglake.bot.responder import make_responder
from tglake.candidates.catalog import CandidateData
from tglake.config import Settings
from tglake.storage import LocalStore

SECRET = "intents-secret-0123456789"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
BOT = "MogiEleicoesBot"
_ids = itertools.count(500_000)


@pytest.fixture(scope="module")
def url(data: CandidateData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": SECRET})
    raw = LocalStore(tmp_path_factory.mktemp("intents") / "raw")
    responder = make_responder(settings, raw, data, bot_username=BOT)
    with serve_in_thread(create_app(settings, raw, responder=responder)) as base:
        yield base


def ask(url: str, text: str, group: bool = False) -> dict[str, Any]:
    """Post a message as Telegram would; return the reply method in the 200 body."""
    chat: dict[str, Any] = {"id": 777, "type": "private"}
    if group:
        chat = {"id": -1009876, "type": "supergroup", "title": "Eleições"}
        text = f"@{BOT} {text}"
    update = {
        "update_id": next(_ids),
        "message": {
            "message_id": 5,
            "from": {"id": 777, "is_bot": False, "first_name": "Ana"},
            "chat": chat,
            "date": 1728241200,
            "text": text,
        },
    }
    response = httpx2.post(f"{url}/webhook", content=json.dumps(update), headers=HEADERS)
    assert response.status_code == 200
    reply: dict[str, Any] = response.json()
    return reply


def shown(reply: dict[str, Any]) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(reply.get("text", ""))))


INTENTS: dict[str, tuple[list[str], str]] = {
    "mayor_winner": (
        ["Quem ganhou pra prefeito?", "quem venceu a eleição?", "quem foi eleito prefeito",
         "quem ganhou pra prefeto", "quem é a nova prefeita de mogi?", "quem perdeu pra prefeito"],
        "MARA BERTAIOLLI (PL) venceu para prefeito com 113.271 votos, 51,08% dos válidos",
    ),
    "winner_percent": (
        ["A Mara ganhou com quantos por cento?", "a mara ganhou com quantos por cento",
         "qual a porcentagem da Mara Bertaiolli?"],
        "51,08%",
    ),
    "second_place": (
        ["Quem ficou em segundo?", "quem ficou em 2º lugar pra prefeito?",
         "quem ficou em segundo lugar"],
        "2º lugar para prefeito: CAIO CUNHA (20, PODE) — 69.065 votos, 31,15% dos válidos.",
    ),
    "third_place": (
        ["E o terceiro lugar?", "quem ficou em terceiro pra prefeita"],
        "3º lugar para prefeito: RODRIGO VALVERDE (13, PT) — 36.811 votos",
    ),
    "blank_null_valid": (
        ["Quantos votos brancos teve?", "quantos votos nulos pra prefeito", "votos válidos",
         "quantos brancos e nulos"],
        "Prefeito: válidos 221.751 · brancos 11.992 (4,84%) · nulos 14.212 (5,73%)",
    ),
    "council_totals": (
        ["quantos votos nulos teve pra vereador?", "brancos para a câmara"],
        "Vereador: válidos 217.535 · brancos 16.232",
    ),
    "turnout_not_in_data": (
        ["Qual foi a abstenção?", "qual foi a abstencao", "quantos eleitores tem o eleitorado"],
        "Eleitorado e abstenção não estão nestes dados",
    ),
    "how_many_candidates": (
        ["Quantos candidatos concorreram a vereador?", "quantos candidatos a vereador",
         "quantas candidaturas teve"],
        "Na urna: 380 candidatos a vereador",
    ),
    "most_voted_councillor": (
        ["Quem foi o vereador mais votado?", "vereadores mais votados",
         "quem foi a vereadora mais votada", "quem teve mais votos para vereador"],
        "O vereador mais votado foi MALU FERNANDES (PL), com 5.089 votos.",
    ),
    "candidate_votes": (
        ["Quantos votos teve a Inês Paz?", "quantos votos teve a ines paz",
         "quantos votos a ines pax teve"],
        "INÊS PAZ teve 3.622 votos.",
    ),
    "candidate_number": (
        ["Qual o número da Inês Paz?", "qual o numero da ines paz"],
        "O número de INÊS PAZ é 50050.",
    ),
    "candidate_party": (
        ["Qual o partido do Farofa?", "qual partido do farofa"],
        "FAROFA é do PL (Partido Liberal).",
    ),
    "candidate_rank": (
        ["Em que lugar ficou o Caio Cunha?", "em que posição ficou caio cunha"],
        "2º lugar para prefeito: CAIO CUNHA",
    ),
    "candidate_best_bairros": (
        ["Onde o Rodrigo Valverde teve mais votos?",
         "em qual bairro rodrigo valverde teve mais votos"],
        "Onde RODRIGO VALVERDE teve mais votos: Jundiapeba (3.964), Centro (3.192)",
    ),
    "vereador_number_beats_party": (
        ["22222", "vereador 22222", "quantos votos teve o 50050?"],
        "— ",
    ),
    "party_votes": (
        ["Quantos votos teve o PT?", "quantos votos o pt teve", "candidatos do PSOL",
         "quantos votos teve o podemos"],
        "Votos para vereador do ",
    ),
    "party_seats": (
        ["O partido PL elegeu quantos?", "quantos vereadores o PL elegeu?",
         "quantas cadeiras o pl fez"],
        "O PL elegeu 6 vereador(es)",
    ),
    "who_was_elected": (
        ["Quem foi eleito vereador?", "quem foi eleito vereador", "quem foi elieto vereador",
         "quem se elegeu pra câmara?"],
        "Câmara Municipal — 23 vereadores eleitos",
    ),
    "was_she_elected": (
        ["A Inês Paz foi eleita?", "a ines paz foi eleita", "a ines paz se elegeu?"],
        "INÊS PAZ (PSOL) foi eleito(a) (pelo quociente partidário).",
    ),
    "re_elected": (
        ["O Pedro Komura se reelegeu?", "o pedro komura foi reeleito"],
        "PEDRO KOMURA (UNIÃO) foi eleito(a) (pelo quociente partidário).",
    ),
    "council_size": (
        ["Quantos vereadores tem a Câmara?", "quantas cadeiras tem a camara", "qnts vagas tem"],
        "A Câmara Municipal de Mogi das Cruzes tem 23 vereadores.",
    ),
    "absent_party_named_as_a_word": (
        ["O partido NOVO teve candidato?", "o partido novo teve candidato"],
        "O NOVO não teve candidatos em Mogi das Cruzes em 2024.",
    ),
    "bairro_winner": (
        ["Quem ganhou no Jd. Ivete?", "quem ganhou no jardim ivete", "quem venceu em jd ivet"],
        "Jardim Ivete — quem teve mais votos no bairro",
    ),
    "bairro_abbreviations": (
        ["quem ganhou no cj santo angelo?", "quem teve mais votos no conj. res. santo ângelo"],
        "Cj. Residencial Santo Ângelo — quem teve mais votos no bairro",
    ),
    "second_round": (
        ["Teve segundo turno?", "vai ter 2º turno pra prefeito?"],
        "Não houve 2º turno em Mogi das Cruzes em 2024",
    ),
    "absent_party_is_not_a_near_sigla": (
        ["Quantos votos teve o PSDB?", "psdb"],
        "O PSDB não teve candidatos em Mogi das Cruzes em 2024.",
    ),
}  # fmt: skip


@pytest.mark.parametrize("intent", sorted(INTENTS))
def test_each_intent_is_answered_however_it_is_written(url: str, intent: str) -> None:
    questions, expected = INTENTS[intent]
    for question in questions:
        reply = ask(url, question)
        assert reply["method"] == "sendMessage", question
        assert expected in shown(reply), (question, shown(reply)[:300])


def test_a_group_message_addressed_to_the_bot_is_answered_and_others_are_not(url: str) -> None:
    reply = ask(url, "quem ganhou pra prefeito?", group=True)
    assert "MARA BERTAIOLLI (PL) venceu" in shown(reply)
    assert reply["reply_parameters"]["message_id"] == 5
    update = {
        "update_id": next(_ids),
        "message": {"message_id": 6, "chat": {"id": -1009876, "type": "supergroup"},
                    "date": 1728241200, "text": "quem ganhou pra prefeito?"},
    }  # fmt: skip
    quiet = httpx2.post(f"{url}/webhook", content=json.dumps(update), headers=HEADERS)
    assert quiet.json() == {"ok": True}


def test_a_five_digit_number_is_the_vereador_and_two_digits_offer_the_party(url: str) -> None:
    assert shown(ask(url, "22222")).startswith("MALU FERNANDES — 22222")
    mayor = ask(url, "22")
    assert shown(mayor).startswith("MARA BERTAIOLLI — 22")
    buttons = mayor["reply_markup"]["inline_keyboard"]
    assert buttons == [[{"text": "Ver o partido PL (22)", "callback_data": "party:22"}]]
    assert shown(ask(url, "50")).startswith("PSOL — Partido Socialismo e Liberdade")


def test_an_ambiguous_name_asks_with_buttons(url: str) -> None:
    reply = ask(url, "mara")
    assert shown(reply).startswith("Encontrei 2 candidatos para «mara». Qual deles?")
    assert len(reply["reply_markup"]["inline_keyboard"]) == 2
    bairros = ask(url, "quem ganhou no horizonte?")
    labels = [row[0]["text"] for row in bairros["reply_markup"]["inline_keyboard"]]
    assert labels == ["Vila Horizonte", "Res. Novo Horizonte"]


def test_a_question_the_data_cannot_answer_says_so_and_what_it_can(url: str) -> None:
    text = shown(ask(url, "qual o salário de um vereador?"))
    assert text.startswith("Isso não está nos dados que tenho")
    assert "Posso responder, por exemplo: quem ganhou para prefeito" in text


def test_eleitos_command_lists_23_and_says_how_it_was_computed(url: str) -> None:
    text = shown(ask(url, "/eleitos"))
    assert "Lista calculada a partir dos votos oficiais pelo método da lei" in text
    assert text.count("•") == 12  # lists that won seats
    assert "PL — 6: MALU FERNANDES (5.089), FELIPE LINTZ (4.322)" in text
    assert shown(ask(url, "/eleitos psol")).startswith("O PSOL elegeu 1 vereador(es): INÊS PAZ.")


CONVERSATION = [
    "quem ganhou pra prefeito?",
    "e quem ficou em segundo?",
    "quantos votos brancos teve?",
    "quem foi eleito vereador?",
    "a ines paz foi eleita?",
    "o partido PL elegeu quantos?",
    "quem ganhou no jd ivete?",
    "quantos votos teve o PSDB?",
    "qual o salário de um vereador?",
]


def render_conversation(url: str) -> str:
    """The conversation of docs/bot.md, as the webhook really answers it."""
    out = []
    for question in CONVERSATION:
        reply = ask(url, question)
        lines = shown(reply).split("\n")
        out += [f"> **Você:** {question}", ">", "> **Bot:** " + "  \n> ".join(lines)]
        keyboard = reply.get("reply_markup", {}).get("inline_keyboard", [])
        if keyboard:
            out.append("> " + " ".join(f"[{b['text']}]" for row in keyboard for b in row))
        out.append("")
    return "\n".join(out)


def test_the_conversation_in_the_docs_is_what_the_bot_says(url: str) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "bot.md").read_text(encoding="utf-8")
    block = doc.split("<!-- conversation:start -->\n", 1)[1].split("<!-- conversation:end -->")[0]
    assert block == render_conversation(url)
