"""The loop's and the profile's tests talk to one running webhook server with the bot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.test_loop import Chat, Clock, lake_settings
from tests.helpers import serve_in_thread
from tglake.adapters.http import create_app
from tglake.bot.loop import make_loop
from tglake.bot.responder import make_responder
from tglake.candidates.catalog import CandidateData
from tglake.storage import LocalStore


@pytest.fixture
def chat(lake: Path, data: CandidateData) -> Iterator[Chat]:
    """A webhook server with the bot and the loop over a folder lake (the root ``lake``)."""
    settings = lake_settings(str(lake))
    raw = LocalStore(settings.raw_uri)
    loop = make_loop(settings, LocalStore(lake / "reference"), interval=0.0)
    clock = Clock()
    responder = make_responder(settings, raw, data, clock=clock, loop=loop)
    with serve_in_thread(create_app(settings, raw, responder=responder, clock=clock)) as url:
        yield Chat(url)
