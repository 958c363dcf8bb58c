"""Each command, pure: a real-shaped update in, the reply in Portuguese out."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tglake.bot import commands
from tglake.bot.commands import Answer, handle, to_method
from tglake.candidates.catalog import CandidateData


def message(text: str, chat_type: str = "private", **extra: Any) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": 5550006, "type": chat_type}
    if chat_type != "private":
        chat = {"id": -1001234567890, "type": chat_type, "title": "Eleições Mogi 2024"}
    return {
        "update_id": 1,
        "message": {
            "message_id": 41,
            "from": {"id": 5550006, "is_bot": False, "first_name": "Fábio"},
            "chat": chat,
            "date": 1727742000,
            "text": text,
            **extra,
        },
    }


def ask(data: CandidateData, text: str, chat_type: str = "private", **extra: Any) -> Answer:
    answer = handle(message(text, chat_type, **extra), data, bot_username="MogiEleicoesBot")
    if answer is None:
        raise AssertionError(f"the bot gave no answer to {text!r}")
    return answer


def visible(text: str) -> str:
    """What the user reads: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_start_and_ajuda_list_every_command(data: CandidateData) -> None:
    for text in ("/start", "/ajuda"):
        shown = visible(ask(data, text).text)
        for name in ("/candidato", "/partido", "/prefeito", "/vereadores", "/bairro", "/perfil"):
            assert name in shown


def test_candidato_by_name_gives_the_card(data: CandidateData) -> None:
    answer = ask(data, "/candidato Mara Bertaiolli")
    shown = visible(answer.text)
    assert shown.startswith("MARA BERTAIOLLI — 22\nPrefeito · PL (Partido Liberal)")
    assert "113.271 votos (51,08% dos válidos)" in shown
    assert "1º lugar entre 5 candidatos a prefeito" in shown
    assert (answer.matched_kind, answer.matched_ids, answer.answered) == ("exact", ("22",), True)


def test_candidato_with_several_matches_gives_buttons(data: CandidateData) -> None:
    answer = ask(data, "/candidato sheila")
    assert visible(answer.text).startswith("Encontrei 3 candidatos para «sheila». Qual deles?")
    assert answer.buttons is not None
    assert [row[0][1] for row in answer.buttons] == ["cand:33", "cand:44018", "cand:35137"]
    method = to_method(answer)
    assert method["reply_markup"]["inline_keyboard"][0][0] == {
        "text": "PROFESSORA SHEILA MANTOVANNI (33)",
        "callback_data": "cand:33",
    }


def test_candidato_not_found_is_not_answered(data: CandidateData) -> None:
    answer = ask(data, "/candidato <b>Fulano</b>")
    assert answer.answered is False
    assert "Não encontrei candidato para «&lt;b&gt;Fulano&lt;/b&gt;»" in answer.text


def test_candidato_without_query_explains_how(data: CandidateData) -> None:
    answer = ask(data, "/candidato")
    assert answer.answered is False
    assert "/candidato Mara Bertaiolli" in answer.text


def test_a_vereador_card_says_the_computed_result(data: CandidateData) -> None:
    shown = visible(ask(data, "/candidato 22222").text)
    assert "MALU FERNANDES — 22222" in shown
    assert "5.089 votos" in shown
    assert "Resultado: eleito por QP (calculado pelo método da lei; /eleitos)" in shown
    assert "Resultado: suplente" in visible(ask(data, "/candidato 50123").text)


def test_an_annulled_candidacy_has_no_rank(data: CandidateData) -> None:
    shown = visible(ask(data, "/candidato 10333").text)
    assert "«Anulado sub judice»: não entram nos votos válidos" in shown
    assert "lugar" not in shown


def test_prefeito_gives_the_race(data: CandidateData) -> None:
    shown = visible(ask(data, "/prefeito").text)
    assert "1. MARA BERTAIOLLI (22, PL): 113.271 (51,08% dos válidos)" in shown
    assert "5. DOUTOR ROBERTO RODRIGUES (28, PRTB): 1.151 (0,52% dos válidos)" in shown
    assert "Votos válidos: 221.751 · brancos: 11.992 · nulos: 14.212" in shown
    assert "eleita no 1º turno" in shown


def test_vereadores_lists_the_most_voted_and_the_caveat(data: CandidateData) -> None:
    shown = visible(ask(data, "/vereadores").text)
    assert "1º MALU FERNANDES (22222, PL): 5.089 ✅" in shown
    assert "Quem foi eleito: /eleitos (calculado a partir dos votos oficiais" in shown
    psol = ask(data, "/vereadores psol")
    assert "1º INÊS PAZ" not in visible(psol.text)  # rank is city-wide, not within the party
    assert visible(psol.text).splitlines()[1].startswith("5º INÊS PAZ (50050, PSOL): 3.622")
    assert psol.matched_ids == ("partido:50",)


def test_partido_card(data: CandidateData) -> None:
    shown = visible(ask(data, "/partido 50").text)
    assert shown.startswith("PSOL — Partido Socialismo e Liberdade (número 50)")
    assert "INÊS PAZ (3.622)" in shown
    assert ask(data, "/partido NOVO").answered is False


def test_bairro_says_who_got_the_most_votes_there(data: CandidateData) -> None:
    assert ask(data, "/bairro bras cubas").matched_ids == ("bairro:Braz Cubas",)
    answer = ask(data, "/bairro horizonte")
    assert answer.matched_ids == ("bairro:Vila Horizonte", "bairro:Res. Novo Horizonte")
    assert answer.buttons is not None
    assert [row[0][0] for row in answer.buttons] == ["Vila Horizonte", "Res. Novo Horizonte"]
    shown = visible(ask(data, "/bairro Braz Cubas").text)
    assert "Braz Cubas — quem teve mais votos no bairro" in shown
    assert "• MARA BERTAIOLLI: 6.922 (52,82%)" in shown


def test_perfil_says_what_the_data_holds_and_the_sample_caveat(data: CandidateData) -> None:
    shown = visible(ask(data, "/perfil").text)
    assert "Candidaturas registradas: 397" in shown
    assert "PODE 26, PL 25" in shown
    assert "Empresário (39)" in shown
    assert "média 49,01 anos, de 18 a 81" in shown
    assert "só existem 5 linhas de amostra" in shown


def test_plain_text_in_private_is_a_search(data: CandidateData) -> None:
    assert ask(data, "inês paz").matched_ids == ("50050",)
    bairro = ask(data, "quem ganhou em Braz Cubas?")
    assert (bairro.command, bairro.matched_ids) == ("texto", ("bairro:Braz Cubas",))


def test_a_greeting_gets_the_menu(data: CandidateData) -> None:
    answer = ask(data, "Oi!")
    assert (answer.matched_kind, answer.answered) == ("help", True)
    assert "/candidato" in answer.text


def test_asking_who_was_elected_gets_the_computed_camara(data: CandidateData) -> None:
    answer = ask(data, "quem foi eleito vereador?")
    assert answer.matched_kind == "elected"
    assert "calculada a partir dos votos oficiais pelo método da lei" in visible(answer.text)


def test_groups_answer_commands_and_replies_to_the_bot_only(data: CandidateData) -> None:
    assert handle(message("Mara Bertaiolli", "supergroup"), data) is None
    group = ask(data, "/candidato@MogiEleicoesBot Mara Bertaiolli", "supergroup")
    assert group.matched_ids == ("22",)
    assert to_method(group)["reply_parameters"]["message_id"] == 41
    other_bot = message("/candidato@OutroBot Mara", "supergroup")
    assert handle(other_bot, data, bot_username="MogiEleicoesBot") is None
    bot = {"id": 7000000001, "is_bot": True, "first_name": "Mogi", "username": "MogiEleicoesBot"}
    reply = ask(data, "valverde", "supergroup", reply_to_message={"message_id": 40, "from": bot})
    assert reply.matched_ids == ("13",)


def test_updates_that_are_not_messages_get_no_answer(data: CandidateData) -> None:
    edited = {"update_id": 2, "edited_message": message("/prefeito")["message"]}
    assert handle(edited, data) is None
    assert handle({"update_id": 3, "poll": {"id": "1"}}, data) is None


def callback(data_field: str) -> dict[str, Any]:
    return {
        "update_id": 100000007,
        "callback_query": {
            "id": "4382bfdwdsb323b2d9",
            "from": {"id": 5550001, "is_bot": False, "first_name": "Ana"},
            "message": {
                "message_id": 14,
                "chat": {"id": -1001234567890, "type": "supergroup"},
                "date": 1727741200,
                "text": "Encontrei 2 candidatos:",
            },
            "chat_instance": "-8475639101",
            "data": data_field,
        },
    }


def test_a_button_sends_the_candidate_card(data: CandidateData) -> None:
    answer = handle(callback("cand:33"), data)
    assert isinstance(answer, Answer)
    method = to_method(answer)
    assert method["method"] == "sendMessage"
    assert method["chat_id"] == -1001234567890
    assert "1.453 votos" in visible(method["text"])


def test_a_stale_button_gets_a_toast(data: CandidateData) -> None:
    answer = handle(callback("cand:99999"), data)
    assert isinstance(answer, Answer)
    assert to_method(answer) == {
        "method": "answerCallbackQuery",
        "callback_query_id": "4382bfdwdsb323b2d9",
        "text": "Essa opção não vale mais. Faça a busca de novo.",
        "show_alert": False,
    }


@pytest.mark.parametrize(
    "text",
    ["/start", "/vereadores", "/perfil", "/candidato a", "/bairro centro", "/partido pl", "jose"],
)
def test_every_reply_fits_telegram_and_is_balanced_html(data: CandidateData, text: str) -> None:
    reply = ask(data, text).text
    assert 0 < len(reply) < 4096
    assert reply.count("<b>") == reply.count("</b>")
    assert re.fullmatch(r"(?:[^<&]|<b>|</b>|&lt;|&gt;|&amp;)*", reply, re.S)


def test_a_long_reply_is_split_at_line_breaks_into_whole_messages() -> None:
    from tglake.bot.answer import split_text
    from tglake.bot.cards import clip

    lines = [f"<b>linha {i}</b>" for i in range(2000)]
    parts = split_text(clip(lines))
    assert len(parts) > 1
    assert all(0 < len(p) < 4096 for p in parts)
    assert all(p.count("<b>") == p.count("</b>") for p in parts)
    assert "\n".join(parts).splitlines() == lines  # nothing lost, nothing cut inside a line


def test_unknown_commands_in_groups_are_left_to_other_bots(data: CandidateData) -> None:
    assert handle(message("/outracoisa", "group"), data) is None
    assert ask(data, "/outracoisa").answered is False
    assert commands.COMMANDS["help"] is not None


def test_a_sentence_that_names_a_candidate_gets_that_candidates_card(
    data: CandidateData,
) -> None:
    answer = ask(data, "Acho que a Mara Bertaiolli ganha")
    assert answer.answered
    assert answer.query == "Acho que a Mara Bertaiolli ganha"
    assert "MARA BERTAIOLLI" in answer.text


@pytest.mark.parametrize(
    ("text", "sigla"),
    [
        ("quero saber dos candidatos do psd", "PSD"),
        ("Quais os vereadores do PT?", "PT"),
        ("me fala do partido republicanos", "REPUBLICANOS"),
    ],
)
def test_a_sentence_that_announces_a_party_gets_the_party(
    data: CandidateData, text: str, sigla: str
) -> None:
    answer = ask(data, text)
    assert answer.answered
    assert answer.matched_kind == "party"
    assert answer.query == text
    assert answer.text.startswith(f"<b>{sigla}</b>")


def test_an_everyday_word_that_is_also_a_party_is_not_taken_for_it(data: CandidateData) -> None:
    answer = ask(data, "ninguém pode me dizer como funciona a votação na rede municipal")
    assert answer.matched_kind != "party"


def test_a_long_answer_becomes_several_messages_the_buttons_on_the_last() -> None:
    from tglake.bot.answer import to_methods

    long = Answer(
        chat_id=1,
        text="\n".join(f"<b>{i}</b> " + "x" * 90 for i in range(200)),
        command="texto",
        buttons=[[("próximos", "page:0:1")]],
        reply_to_message_id=7,
    )
    methods = to_methods(long)
    assert [m["method"] for m in methods] == ["sendMessage"] * len(methods)
    assert len(methods) == 6
    assert all(len(m["text"]) < 4096 for m in methods)
    assert "reply_markup" in methods[-1]
    assert all("reply_markup" not in m for m in methods[:-1])
    assert "reply_parameters" in methods[0]
    assert all("reply_parameters" not in m for m in methods[1:])
    assert "\n".join(m["text"] for m in methods) == long.text


def test_a_button_answer_starts_with_the_callback_ack(data: CandidateData) -> None:
    from tglake.bot.answer import to_methods

    answer = handle(callback("cand:22222"), data)
    methods = to_methods(answer)  # type: ignore[arg-type]  # None would fail here
    assert [m["method"] for m in methods] == ["answerCallbackQuery", "sendMessage"]
