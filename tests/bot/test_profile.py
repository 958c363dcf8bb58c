"""A person's bairro through the real webhook: told with /meubairro, used in cards and in "quem
ganhou aqui?", shown by /meusdados, erased by /esquecer and by erase_profile (tglake forget)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.test_loop import DAY, KEY, Chat, Clock, etl_day
from tests.helpers import serve_in_thread
from tglake.adapters.http import create_app
from tglake.bot.loop import NO_KEY, PRIVATE_ONLY, bairro_line, make_loop
from tglake.bot.profile import erase_profile, profile_key, read_profile, save_profile
from tglake.bot.responder import make_responder
from tglake.candidates.catalog import CandidateData
from tglake.config import Settings
from tglake.pseudonym import Pseudonymizer
from tglake.storage import LocalStore

ANA = 7001


def profile_file(lake: Path, user_id: int) -> Path:
    return lake / "reference" / profile_key(Pseudonymizer(KEY.encode())(user_id))


def test_a_told_bairro_fits_the_answers_and_is_erased_on_request(
    chat: Chat, lake: Path, data: CandidateData
) -> None:
    # a bairro question offers /meubairro once the person has none
    hint = chat.say(ANA, "quem ganhou em Jundiapeba?")["text"]
    assert hint.endswith(
        "Dica: envie /meubairro Jundiapeba e as fichas passam a mostrar os votos de lá."
    )
    reply = chat.say(ANA, "/meubairro jundiapeba")["text"]
    assert reply.startswith("Anotado: seu bairro é <b>Jundiapeba</b>.")
    # stored under the pseudonym only, and nothing but the bairro
    assert json.loads(profile_file(lake, ANA).read_bytes()) == {"bairro": "Jundiapeba"}
    card = chat.say(ANA, "/candidato 22222")["text"]
    assert card.endswith("\n" + bairro_line(data, data.by_number[22222], "Jundiapeba"))
    assert "📍 Em Jundiapeba (seu bairro): 265 votos, 21º lugar entre 319 candidatos" in card
    here = chat.say(ANA, "quem ganhou aqui?")["text"]
    assert here.startswith("<b>Jundiapeba</b> — quem teve mais votos no bairro")
    assert "Dica" not in chat.say(ANA, "quem ganhou em Braz Cubas?")["text"]
    assert chat.say(ANA, "/meusdados")["text"] == (
        "Guardo só o seu bairro: <b>Jundiapeba</b>. /esquecer apaga."
    )
    # in a group the bot keeps nothing and says where to talk about oneself
    group = Chat(chat.url)
    group.next_id = chat.next_id + 1000
    assert group.say_in_group(ANA, "/meubairro Centro")["text"] == PRIVATE_ONLY
    assert json.loads(profile_file(lake, ANA).read_bytes()) == {"bairro": "Jundiapeba"}
    # someone else's card has no bairro line
    assert "📍" not in chat.say(7002, "/candidato 22222")["text"]
    assert chat.say(ANA, "/esquecer")["text"] == "Pronto: esqueci seu bairro e a nossa conversa."
    assert not profile_file(lake, ANA).exists()
    assert chat.say(ANA, "/meusdados")["text"].startswith("Não guardo nada sobre você.")
    assert "📍" not in chat.say(ANA, "/candidato 22222")["text"]
    assert chat.say(ANA, "quem ganhou aqui?")["text"].startswith("De qual bairro?")
    # the bot's events and the ETL's bot_replies never hold the bairro told
    etl_day(lake)
    events = [p.read_text() for p in (lake / "raw" / "bot").rglob("*.json")]
    told = [json.loads(e) for e in events if '"meubairro"' in e]
    assert [(e["query"], e["matched_ids"]) for e in told] == [(None, []), (None, [])]
    parquet = sorted(str(p) for p in (lake / "enriched").rglob("*.parquet"))
    assert parquet
    assert all(DAY.isoformat() in p for p in parquet)


def test_erase_profile_is_the_forget_hook(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "reference")
    who = Pseudonymizer(KEY.encode())(ANA)
    save_profile(store, who, "Centro")
    assert read_profile(store, who) == "Centro"
    assert erase_profile(store, who) is True
    assert read_profile(store, who) is None
    assert erase_profile(store, who) is False
    with pytest.raises(ValueError, match="hex pseudonym"):
        profile_key("../../raw/telegram")


def test_without_the_pseudonym_key_nothing_personal_is_stored(
    tmp_path: Path, data: CandidateData
) -> None:
    # an S3 lake without TGLAKE_PSEUDONYM_KEY: the bot cannot compute user_key, so it says so
    settings = Settings.from_env({}, lake="s3://bucket/lake")
    reference = LocalStore(tmp_path / "reference")
    loop = make_loop(settings, reference)
    assert loop.profiles is None
    raw = LocalStore(tmp_path / "raw")
    responder = make_responder(settings, raw, data, clock=Clock(), loop=loop)
    with serve_in_thread(create_app(settings, raw, responder=responder)) as url:
        assert Chat(url).say(ANA, "/meubairro Centro")["text"] == NO_KEY
    assert list(reference.list("")) == []
