"""The Câmara Municipal's 23 seats, computed from the vote document by :mod:`seats`.

What is Mogi-specific lives here: the number of seats, which parties ran together as a
federation in 2024 (the shared TSE folder has no federation column, so the three federations
registered with the TSE for 2024 are written down below, sources in ``docs/camara.md``), and
which votes count (valid nominal votes of each candidate plus the party's legenda votes;
annulled candidacies' votes are not valid and count for nobody).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tglake.candidates import seats as law
from tglake.candidates.parties import SIGLAS

SEATS = 23
"""Seats of the Câmara Municipal de Mogi das Cruzes (23 since the 2012 election)."""

FEDERATIONS: dict[str, tuple[str, ...]] = {
    "Federação Brasil da Esperança (PT/PC do B/PV)": ("PT", "PC do B", "PV"),
    "Federação PSDB Cidadania": ("PSDB", "CIDADANIA"),
    "Federação PSOL REDE": ("PSOL", "REDE"),
}
"""The three federations registered with the TSE for the 2024 elections (national: they hold
in every municipality where their parties run)."""

METHOD_NOTE = (
    "Lista calculada a partir dos votos oficiais pelo método da lei (quocientes eleitoral e "
    "partidário, sobras pelas maiores médias, decisão do STF de 2024)."
)


def list_of(sigla: str) -> str:
    """The list a party's votes count for: its federation's name, or its own sigla."""
    for name, members in FEDERATIONS.items():
        if sigla in members:
            return name
    return sigla


def compute(
    parties: Sequence[Mapping[str, Any]], candidates: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The ``camara`` section of the candidate document; sets ``situacao`` on each vereador."""
    sigla = {p["numero"]: p["sigla"] for p in parties}
    if set(sigla.values()) - set(SIGLAS.values()):
        raise ValueError("unknown party sigla")
    list_votes: dict[str, int] = {}
    members: dict[str, list[str]] = {}
    for p in parties:
        lid = list_of(p["sigla"])
        list_votes[lid] = list_votes.get(lid, 0) + p["votos_legenda"]
        members.setdefault(lid, []).append(p["sigla"])
    contenders = []
    for c in candidates:
        if c["cargo"] != "vereador" or c["situacao_voto"] is not None:
            continue
        lid = list_of(sigla[c["partido"]])
        list_votes[lid] += c["votos"]
        contenders.append(law.Contender(c["numero"], lid, c["votos"]))
    result = law.allocate(SEATS, list_votes, contenders)
    for c in candidates:
        if c["cargo"] == "vereador":
            c["situacao"] = result.situation.get(c["numero"])
    return {
        "cadeiras": result.seats,
        "votos_validos": result.valid_votes,
        "quociente_eleitoral": result.electoral_quotient,
        "cadeiras_ultima_fase": result.last_phase_seats,
        "eleitos_em_ordem": list(result.elected),
        "listas": [
            {
                "lista": r.list_id,
                "partidos": members[r.list_id],
                "votos": r.votes,
                "quociente_partidario": r.quotient,
                "cadeiras_qp": r.seats_qp,
                "cadeiras_media": r.seats_average,
            }
            for r in result.lists
        ],
    }
