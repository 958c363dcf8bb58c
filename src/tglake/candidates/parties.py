"""Party numbers → TSE siglas, the one fact the shared files do not print side by side.

The vote report names each party in its ``Partido: NN - NOME (legenda)`` blocks but gives no
sigla; the candidates-per-party table gives siglas but no numbers. These are the official TSE
party numbers of 2024 for the 21 parties on Mogi das Cruzes' ballot; the tests check them
against both shared files (the 21 siglas of ``candidatos_mogi_2024_por_partido.csv`` and the
number/sigla pairs of the 5 sample rows).
"""

from __future__ import annotations

SIGLAS: dict[int, str] = {
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


def party_of(candidate_number: int) -> int:
    """A candidate's party number: the first two digits of the ballot number."""
    return int(str(candidate_number)[:2])
