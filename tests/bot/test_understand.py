"""Questions in plain Portuguese through the real webhook, one test per phenomenon of how voters
ask (names as they say them, questions that compose, places, the whole election, long
messages, follow-ups, limits); expected figures are summed from the data by the tests."""

from __future__ import annotations

import html
import itertools
import json
import os
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


def ask(url: str, text: str, group: bool = False, user: int = 777) -> dict[str, Any]:
    """Post a message as Telegram would; return the reply method in the 200 body."""
    chat: dict[str, Any] = {"id": user, "type": "private"}
    if group:
        chat = {"id": -1009876, "type": "supergroup", "title": "Eleições"}
        text = f"@{BOT} {text}"
    update = {
        "update_id": next(_ids),
        "message": {
            "message_id": 5,
            "from": {"id": user, "is_bot": False, "first_name": "Ana"},
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


class Figures:
    """Expected figures summed here, straight from the bundled document's seção table (not
    through the bot's evaluator), so a test of the bot is a test against the data."""

    def __init__(self, document: dict[str, Any]) -> None:
        table = document["por_secao"]
        self.sections = table["secoes"]
        self.places = table["locais"]
        self.votes: dict[str, list[int]] = table["votos"]
        self.candidates = {c["numero"]: c for c in document["candidatos"]}

    def where(self, kind: str, ident: str) -> list[int]:
        if kind == "zone":
            return [i for i, s in enumerate(self.sections) if s[0] == ident]
        if kind == "bairro":
            return [
                i
                for i, s in enumerate(self.sections)
                if s[2] is not None and self.places[s[2]]["bairro"] == ident
            ]
        if kind == "place":
            return [i for i, s in enumerate(self.sections) if s[2] == int(ident)]
        return list(range(len(self.sections)))

    def total(self, key: str, kind: str = "city", ident: str = "") -> int:
        return sum(self.votes[key][i] for i in self.where(kind, ident))

    def ranking(
        self, office: str, kind: str = "city", ident: str = "", party: int | None = None
    ) -> list[tuple[int, int]]:
        pool = [
            c
            for c in self.candidates.values()
            if c["cargo"] == office
            and c["situacao_voto"] is None
            and (party is None or c["partido"] == party)
        ]
        scored = [(c["numero"], self.total(f"c{c['numero']}", kind, ident)) for c in pool]
        return sorted(scored, key=lambda nv: (-nv[1], nv[0]))


@pytest.fixture(scope="module")
def figures(document: dict[str, Any]) -> Figures:
    return Figures(document)


def brl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def converse(url: str, *texts: str) -> list[str]:
    """One person's messages in one private chat, in order; the replies as they read them."""
    user = next(_ids)
    return [shown(ask(url, text, user=user)) for text in texts]


MAYORS = {22: "mara", 20: "caio cunha", 13: "valverde", 33: "sheila", 28: "dr roberto"}
"""How voters name the mayoral candidates: a first name, a surname, a title."""


@pytest.mark.parametrize("number", sorted(MAYORS))
def test_naming_a_mayoral_candidate_as_voters_do_finds_their_votes(
    url: str, figures: Figures, number: int
) -> None:
    reply = converse(url, f"qual foi a votação do(a) {MAYORS[number]}?")[0]
    assert brl(figures.total(f"c{number}")) in reply
    assert figures.candidates[number]["nome_urna"] in reply


def test_ordinary_words_are_not_names_nor_places(url: str) -> None:
    camara = converse(url, "entrou na câmara?")[0]
    assert "CHÁCARA" not in camara.upper()
    assert "Guanabara" not in camara
    suzano = converse(url, "quantos votos o prefeito teve em suzano?")[0]
    assert "SUZANA" not in suzano.upper()
    assert "Só tenho dados de Mogi das Cruzes" in suzano


def test_a_shared_first_name_asks_which_with_buttons(url: str) -> None:
    reply = ask(url, "quantos votos teve a fernanda?")
    assert len(reply["reply_markup"]["inline_keyboard"]) >= 2
    assert "Qual delas?" in shown(reply)


def test_two_candidates_compared_give_both_figures_and_the_difference(
    url: str, figures: Figures
) -> None:
    caio, valverde = figures.total("c20"), figures.total("c13")
    reply = converse(url, "quem teve mais voto, caio ou valverde?")[0]
    assert reply.startswith("CAIO CUNHA")
    assert brl(caio) in reply
    assert brl(valverde) in reply
    assert brl(caio - valverde) in reply
    summed = converse(url, "caio e valverde somados")[0]
    assert brl(caio + valverde) in summed


@pytest.mark.parametrize(("party", "sigla"), [(22, "PL"), (70, "AVANTE"), (13, "PT")])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_position_within_a_party(
    url: str, figures: Figures, party: int, sigla: str, n: int
) -> None:
    number, votes = figures.ranking("vereador", party=party)[n - 1]
    reply = converse(url, f"quem foi o {n}º mais votado do {sigla}?")[0]
    assert figures.candidates[number]["nome_urna"] in reply
    assert brl(votes) in reply


@pytest.mark.parametrize(("word", "kind"), [("bairro", "bairro"), ("zona", "zone")])
def test_where_a_candidate_had_the_largest_share_ranks_places_by_share(
    url: str, figures: Figures, document: dict[str, Any], word: str, kind: str
) -> None:
    # GIVEN the mayor's share of the valid prefeito votes in every bairro or zone, summed here
    mayors = [f"c{c['numero']}" for c in document["candidatos"] if c["cargo"] == "prefeito"]
    idents = (
        {p["bairro"] for p in figures.places if p["bairro"]}
        if kind == "bairro"
        else {s[0] for s in figures.sections}
    )
    shares = {}
    for ident in idents:
        valid = sum(figures.total(m, kind, ident) for m in mayors)
        if valid:
            shares[ident] = 100 * figures.total("c22", kind, ident) / valid
    best = max(shares, key=lambda i: shares[i])
    # WHEN asked where she had the largest percentage
    reply = shown(ask(url, f"em qual {word} a mara teve a maior porcentagem?"))
    # THEN the first place listed is that one, with its share
    first = reply.splitlines()[1]
    assert best in first
    assert f"{shares[best]:.2f}".replace(".", ",") + "%" in first


@pytest.mark.parametrize("bairro", ["Jundiapeba", "Braz Cubas", "Jardim Ivete", "Centro"])
def test_who_won_in_a_bairro_and_who_came_second_there(
    url: str, figures: Figures, bairro: str
) -> None:
    (first, v1), (second, v2) = figures.ranking("prefeito", "bairro", bairro)[:2]
    won, then = converse(url, f"quem ganhou no {bairro.lower()}?", "e o segundo?")
    assert figures.candidates[first]["nome_urna"] in won
    assert brl(v1) in won
    assert figures.candidates[second]["nome_urna"] in then
    assert brl(v2) in then
    assert bairro in then  # the follow-up kept the place


def test_a_polling_place_by_its_name_and_its_address(url: str, figures: Figures) -> None:
    index = next(i for i, p in enumerate(figures.places) if p["nome"] == "E.E. APRIGIO DE OLIVEIRA")
    first, votes = figures.ranking("prefeito", "place", str(index))[0]
    won = converse(url, "quem ganhou na escola aprigio de oliveira?")[0]
    assert figures.candidates[first]["nome_urna"] in won
    assert brl(votes) in won
    where = converse(url, "onde fica a escola aprigio de oliveira?")[0]
    assert figures.places[index]["endereco"] in where


@pytest.mark.parametrize("zone", ["0074", "0287", "0319"])
def test_blank_votes_in_a_zone(url: str, figures: Figures, zone: str) -> None:
    reply = converse(url, f"quantos votos brancos pra prefeito na zona {int(zone)}?")[0]
    assert brl(figures.total("b:prefeito", "zone", zone)) in reply


def test_the_election_as_a_whole(url: str, document: dict[str, Any]) -> None:
    race = document["disputas"]["prefeito"]
    turnout = (
        race["votos_validos"]
        + race["votos_brancos"]
        + race["votos_nulos"]
        + race["votos_nominais_anulados"]
    )
    assert brl(turnout) in converse(url, "quantas pessoas votaram?")[0]
    assert "não teve candidato a prefeito" in converse(url, "o PSOL teve candidato a prefeito?")[0]
    sections = converse(url, "quantas seções eleitorais tem em mogi?")[0]
    assert brl(len(document["por_secao"]["secoes"])) in sections


def test_a_question_inside_a_long_voice_message(url: str, figures: Figures) -> None:
    bairro_votes = figures.total("c50050", "bairro", "Jundiapeba")
    reply = converse(
        url,
        "oi bom dia tudo bem então eu queria saber tipo assim quantos votos que a ines paz "
        "teve lá no jundiapeba porque minha vó mora lá e falou que todo mundo votou nela né",
    )[0]
    assert brl(bairro_votes) in reply
    assert "INÊS PAZ" in reply


def test_follow_ups_take_what_they_lack_from_the_last_question(url: str, figures: Figures) -> None:
    votes, party, centro = converse(
        url, "quantos votos teve a ines paz?", "ela é de qual partido?", "e no centro?"
    )
    assert brl(figures.total("c50050")) in votes
    assert "PSOL" in party
    assert brl(figures.total("c50050", "bairro", "Centro")) in centro


def test_os_dois_after_two_turns_means_both_candidates(url: str, figures: Figures) -> None:
    # GIVEN the two best-voted vereadores of one party, asked about one after the other
    pairs = [figures.ranking("vereador", party=p)[:2] for p in (50, 10)]
    for (first, a), (second, b) in pairs:
        name_a, name_b = (figures.candidates[n]["nome_urna"] for n in (first, second))
        # WHEN the third message says «os dois»
        _, _, compared = converse(
            url, f"quantos votos teve {name_a.lower()}?", f"e {name_b.lower()}?",
            "qual dos dois teve mais votos?",
        )  # fmt: skip
        # THEN both are compared, with both figures
        assert [s for s in (name_a, name_b, brl(a), brl(b)) if s not in compared] == []


def test_o_outro_with_a_shared_title_means_the_one_not_asked_before(
    url: str, figures: Figures
) -> None:
    # GIVEN a title exactly two vereadores carry
    owners = [n for n, c in figures.candidates.items() if c["nome_urna"].startswith("SARGENTO ")]
    assert len(owners) == 2
    one, other = owners
    # WHEN one is asked about, then «e o outro sargento?»
    _, answer = converse(
        url, f"quantos votos teve o {figures.candidates[one]['nome_urna'].lower()}?",
        "e o outro sargento?",
    )  # fmt: skip
    # THEN the answer is about the other one
    assert figures.candidates[other]["nome_urna"] in answer
    assert brl(figures.total(f"c{other}")) in answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("quem ganhou em suzano?", "Só tenho dados de Mogi das Cruzes"),
        ("e em 2020, quem ganhou?", "Só tenho a eleição de 2024"),
        ("quantos eleitores aptos tem mogi?", "Eleitorado, eleitores aptos e abstenção"),
        ("por que o caio perdeu?", "Os motivos"),
        ("quem vai ganhar em 2028?", "Só tenho a eleição de 2024"),
        ("qual o salário de um vereador?", "não estão nos meus dados"),
    ],
)
def test_limits_are_said_with_what_the_bot_knows_and_no_figure(
    url: str, question: str, says: str
) -> None:
    reply = converse(url, question)[0]
    assert says in reply
    assert "1º turno da eleição municipal de 2024 em Mogi das Cruzes" in reply
    assert not re.search(r"\d{1,3}\.\d{3}", reply)  # no vote figure dressed as an answer


def test_how_does_this_bot_work_gets_the_help(url: str) -> None:
    reply = converse(url, "oi, como funciona esse bot?")[0]
    assert "pergunte do seu jeito" in reply
    assert "/candidato" in reply


def test_a_group_message_addressed_to_the_bot_is_answered_and_others_are_not(url: str) -> None:
    reply = ask(url, "quem ganhou pra prefeito?", group=True)
    assert "MARA BERTAIOLLI (PL, 22) venceu" in shown(reply)
    assert reply["reply_parameters"]["message_id"] == 5
    update = {
        "update_id": next(_ids),
        "message": {
            "message_id": 6,
            "chat": {"id": -1009876, "type": "supergroup"},
            "date": 1728241200,
            "text": "quem ganhou pra prefeito?",
        },
    }
    quiet = httpx2.post(f"{url}/webhook", content=json.dumps(update), headers=HEADERS)
    assert quiet.json() == {"ok": True}


def test_a_five_digit_number_is_the_vereador_and_two_digits_offer_the_party(url: str) -> None:
    assert shown(ask(url, "22222")).startswith("MALU FERNANDES — 22222")
    mayor = ask(url, "22")
    assert shown(mayor).startswith("MARA BERTAIOLLI — 22")
    buttons = mayor["reply_markup"]["inline_keyboard"]
    assert buttons == [[{"text": "Ver o partido PL (22)", "callback_data": "party:22"}]]
    assert shown(ask(url, "50")).startswith("PSOL — Partido Socialismo e Liberdade")


def test_an_ambiguous_bairro_asks_with_buttons(url: str) -> None:
    bairros = ask(url, "quem ganhou no horizonte?")
    labels = [row[0]["text"] for row in bairros["reply_markup"]["inline_keyboard"]]
    assert sorted(labels) == ["Res. Novo Horizonte", "Vila Horizonte"]


def test_a_question_the_data_cannot_answer_says_so_and_what_it_can(url: str) -> None:
    text = shown(ask(url, "qual a cor preferida dos eleitores?"))
    assert text.startswith("ℹ️ Isso não está nos dados que tenho")
    assert "Pergunte, por exemplo: «quem ganhou pra prefeito?»" in text


def test_eleitos_command_lists_23_and_says_how_it_was_computed(url: str) -> None:
    text = shown(ask(url, "/eleitos"))
    assert "Lista calculada a partir dos votos oficiais pelo método da lei" in text
    assert text.count("•") == 12  # lists that won seats
    assert "PL — 6: MALU FERNANDES (5.089), FELIPE LINTZ (4.322)" in text
    assert shown(ask(url, "/eleitos psol")).startswith("O PSOL elegeu 1 vereador(es): INÊS PAZ.")


CONVERSATION = [
    "quem ganhou pra prefeito?",
    "e quem ficou em segundo?",
    "qual foi a votação da sheila?",
    "quem teve mais voto, caio ou valverde?",
    "quem ganhou no jd ivete?",
    "e pra vereador?",
    "a ines paz foi eleita?",
    "e quantos votos ela teve no jundiapeba?",
    "o 3º mais votado do PL",
    "quantos votos brancos teve na zona 287?",
    "onde fica a escola aprigio de oliveira?",
    "quantos votos teve o PSDB?",
    "quem ganhou em suzano?",
    "oi, como funciona esse bot?",
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
    said = render_conversation(url)
    if os.environ.get("WRITE_BOT_DOCS"):  # regenerate the block: WRITE_BOT_DOCS=<file> pytest …
        Path(os.environ["WRITE_BOT_DOCS"]).write_text(said, encoding="utf-8")
    assert block == said
