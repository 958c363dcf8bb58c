"""Where the simulation gets the 2024 candidates from: the one place that knows the source.

The simulation needs only number, ballot name, office and party. They come from the bot's
bundled TSE data when the bot is in this build; without it, from the TSE results file of the
shared data folder (the party of a candidate is then the party whose number starts the
candidate's number, which is how Brazilian ballot numbers work).
"""

from __future__ import annotations

import csv
import dataclasses
import importlib
import io
from pathlib import Path
from typing import Any

from tglake.demo.parts import has_module
from tglake.errors import ConfigError

TSE_RESULTS_CSV = Path("/work/shared/data/tse/votacao_candidatos_mogi_2024.csv")

PARTY_BY_NUMBER: dict[int, str] = {
    10: "REPUBLICANOS",
    11: "PP",
    12: "PDT",
    13: "PT",
    15: "MDB",
    18: "REDE",
    20: "PODE",
    22: "PL",
    25: "PRD",
    27: "DC",
    28: "PRTB",
    33: "MOBILIZA",
    35: "PMB",
    40: "PSB",
    43: "PV",
    44: "UNIÃO",
    50: "PSOL",
    55: "PSD",
    65: "PC do B",
    70: "AVANTE",
    77: "SOLIDARIEDADE",
}
"""Party number → abbreviation (TSE party numbers; the first two digits of a ballot number)."""


@dataclasses.dataclass(frozen=True)
class Candidate:
    """What the simulation needs of a candidate."""

    number: int
    ballot_name: str
    office: str  # "Prefeito" or "Vereador"
    party: str


def parse_tse_results(text: str) -> list[Candidate]:
    """Candidates of the TSE seção results CSV (``votacao_candidatos_mogi_2024.csv``)."""
    candidates = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["tipo"] != "Candidato":
            continue
        number = int(row["numero"])
        name = row["rotulo"].split(",")[0].strip()  # "NAME,  :,Anulado sub judice" → NAME
        office = "Vereador" if row["cargo_no_arquivo"] == "Vereador" else "Prefeito"
        party = PARTY_BY_NUMBER.get(int(str(number)[:2]), "?")
        candidates.append(Candidate(number, name, office, party))
    return candidates


def load_candidates() -> list[Candidate]:
    """The real 2024 candidates of Mogi das Cruzes."""
    if has_module("tglake.bot.candidates"):
        bot: Any = importlib.import_module("tglake.bot.candidates")
        return [
            Candidate(c.number, c.ballot_name, c.office.title(), c.party.sigla)
            for c in bot.bundled().candidates
        ]
    return load_tse_results()


def load_tse_results(path: Path = TSE_RESULTS_CSV) -> list[Candidate]:
    """The candidates of the TSE results file in the shared data folder."""
    try:
        return parse_tse_results(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the TSE candidates file {path}: {exc.strerror}") from exc
