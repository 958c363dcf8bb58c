"""``GET /report`` served by the webhook app under a real uvicorn server."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from tests.analytics.dataset import SG, U2, build_known_lake
from tests.helpers import serve_in_thread
from tests.lakebuild import Updates, build_lake
from tglake.adapters.http import create_app
from tglake.adapters.report_route import ReportCache, report_route
from tglake.config import Secret, Settings
from tglake.errors import ConfigError
from tglake.storage import LocalStore

TOKEN = "report-token-for-tests-0123"
WEBHOOK_SECRET = "webhook-secret-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def settings_for(lake: Path, token: str | None = TOKEN) -> Settings:
    return Settings(
        lake=str(lake),
        report_token=Secret(token) if token else None,
        webhook_secret=Secret(WEBHOOK_SECRET),
    )


def app_for(lake: Path, cache: ReportCache | None = None, token: str | None = TOKEN) -> object:
    settings = settings_for(lake, token)
    store = LocalStore(settings.raw_uri)
    return create_app(settings, store, extra_routes=[report_route(settings, cache)])


def test_report_is_served_as_html(known_lake: Path) -> None:
    lake = known_lake
    with serve_in_thread(app_for(lake)) as url:
        response = httpx2.get(f"{url}/report", headers=AUTH, timeout=30)  # accepts gzip
        plain = httpx2.get(
            f"{url}/report", headers={**AUTH, "Accept-Encoding": "identity"}, timeout=30
        )
        webhook = httpx2.post(f"{url}/webhook", content=b"{}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Relatório de conversas do bot" in response.text
    assert "30/09/2024 a 02/10/2024" in response.text
    # the page crossed the wire compressed, and decodes to the same page sent plain
    assert response.headers["content-encoding"] == "gzip"
    wire = int(response.headers["content-length"])
    assert wire < len(response.content) / 2
    assert "content-encoding" not in plain.headers
    assert plain.content == response.content
    assert "content-encoding" not in webhook.headers  # only /report is compressed


def test_an_empty_lake_answers_404_with_a_page_that_says_why(lake: Path) -> None:
    with serve_in_thread(app_for(lake)) as url:
        response = httpx2.get(f"{url}/report", headers=AUTH, timeout=30)
    assert response.status_code == 404
    assert "Ainda não há relatório" in response.text


def test_the_report_is_rebuilt_once_it_is_older_than_max_age(lake: Path) -> None:
    build_known_lake(lake, bot=False)
    now = [0.0]
    settings = settings_for(lake)
    cache = ReportCache(settings, max_age=60, clock=lambda: now[0])
    with serve_in_thread(app_for(lake, cache)) as url:
        first = httpx2.get(f"{url}/report", headers=AUTH, timeout=30).text
        later = Updates(next_update_id=500)
        later.message(U2, SG, "2024-10-05 12:00", "de novo")
        build_lake(lake, later)
        now[0] = 59.0
        cached = httpx2.get(f"{url}/report", headers=AUTH, timeout=30).text
        now[0] = 61.0
        rebuilt = httpx2.get(f"{url}/report", headers=AUTH, timeout=30).text
    assert cached == first
    assert "30/09/2024 a 02/10/2024" in first
    assert "30/09/2024 a 05/10/2024" in rebuilt


def test_the_webhook_still_answers_beside_the_report(lake: Path) -> None:
    with serve_in_thread(app_for(lake)) as url:
        assert httpx2.get(f"{url}/healthz").status_code == 200


def test_chat_selects_the_chats_of_the_report_and_its_title_says_which(known_lake: Path) -> None:
    with serve_in_thread(app_for(known_lake)) as url:
        one = httpx2.get(f"{url}/report", params={"chat": "eleição mogi"}, headers=AUTH, timeout=30)
        two = httpx2.get(
            f"{url}/report",
            params=[("chat", "Bairro Braz Cubas"), ("chat", "private")],
            headers=AUTH,
            timeout=30,
        )
        unknown = httpx2.get(f"{url}/report", params={"chat": "101"}, headers=AUTH, timeout=30)
    assert one.status_code == 200
    assert "<h1>Relatório de conversas do bot: Eleição Mogi</h1>" in one.text
    assert "<h1>Relatório de conversas do bot: Bairro Braz Cubas e conversas privadas</h1>" in (
        two.text
    )
    # a private chat's id is the person's id: never a way in, never echoed
    assert unknown.status_code == 404
    assert "Conversa não encontrada" in unknown.text
    assert "101" not in unknown.text


def test_without_a_report_token_the_route_does_not_exist(known_lake: Path) -> None:
    with serve_in_thread(app_for(known_lake, token=None)) as url:
        anonymous = httpx2.get(f"{url}/report", timeout=30)
        with_a_guess = httpx2.get(f"{url}/report", headers=AUTH, timeout=30)
    assert (anonymous.status_code, with_a_guess.status_code) == (404, 404)
    assert "Relatório de conversas" not in anonymous.text + with_a_guess.text


def test_with_a_token_only_the_bearer_token_opens_the_report(known_lake: Path) -> None:
    """GIVEN TGLAKE_REPORT_TOKEN WHEN asked without it, with a wrong one, with the webhook's
    secret (as a header or as a bearer token) THEN 401 and no report; with it, the report."""
    refused = [
        {},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        {"Authorization": f"Bearer {WEBHOOK_SECRET}"},
    ]
    with serve_in_thread(app_for(known_lake)) as url:
        answers = [httpx2.get(f"{url}/report", headers=h, timeout=30) for h in refused]
        in_query = httpx2.get(f"{url}/report", params={"token": TOKEN}, timeout=30)
        allowed = httpx2.get(f"{url}/report", headers={"authorization": f"bearer {TOKEN}"})
    for answer in [*answers, in_query]:
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == 'Bearer realm="tglake report"'
        assert "Relatório de conversas" not in answer.text
    assert allowed.status_code == 200
    assert "Relatório de conversas do bot" in allowed.text


def test_a_report_token_must_be_long_and_not_the_webhook_secret() -> None:
    with pytest.raises(ConfigError, match="TGLAKE_REPORT_TOKEN is 5 characters long"):
        Settings.from_env({"TGLAKE_REPORT_TOKEN": "short"})
    with pytest.raises(ConfigError, match="must differ from TGLAKE_WEBHOOK_SECRET"):
        Settings.from_env(
            {"TGLAKE_REPORT_TOKEN": WEBHOOK_SECRET, "TGLAKE_WEBHOOK_SECRET": WEBHOOK_SECRET}
        )
