"""Read the official TSE candidate file (``consulta_cand_AAAA.zip`` or one of its CSVs).

TSE format: latin1, ``;``-separated, every field quoted, the 50 columns of
:data:`COLUMNS` in that order, and sentinels for "no value" (``#NULO#``, ``#NULO``, ``#NE``,
``-1``, ``-3``). One municipality and year are kept; the result is an *overlay*: per
``<cargo>:<NR_CANDIDATO>``, the fields the vote report lacks. CPF, e-mail and voter-card
numbers are deliberately left out: the bot has no use for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tglake.candidates.text import fold
from tglake.errors import CandidateDataError

COLUMNS: tuple[str, ...] = (
    "DT_GERACAO", "HH_GERACAO", "ANO_ELEICAO", "CD_TIPO_ELEICAO", "NM_TIPO_ELEICAO", "NR_TURNO",
    "CD_ELEICAO", "DS_ELEICAO", "DT_ELEICAO", "TP_ABRANGENCIA_ELEICAO", "SG_UF", "SG_UE",
    "NM_UE", "CD_CARGO", "DS_CARGO", "SQ_CANDIDATO", "NR_CANDIDATO", "NM_CANDIDATO",
    "NM_URNA_CANDIDATO", "NM_SOCIAL_CANDIDATO", "NR_CPF_CANDIDATO", "DS_EMAIL",
    "CD_SITUACAO_CANDIDATURA", "DS_SITUACAO_CANDIDATURA", "TP_AGREMIACAO", "NR_PARTIDO",
    "SG_PARTIDO", "NM_PARTIDO", "NR_FEDERACAO", "NM_FEDERACAO", "SG_FEDERACAO",
    "DS_COMPOSICAO_FEDERACAO", "SQ_COLIGACAO", "NM_COLIGACAO", "DS_COMPOSICAO_COLIGACAO",
    "SG_UF_NASCIMENTO", "DT_NASCIMENTO", "NR_TITULO_ELEITORAL_CANDIDATO", "CD_GENERO",
    "DS_GENERO", "CD_GRAU_INSTRUCAO", "DS_GRAU_INSTRUCAO", "CD_ESTADO_CIVIL",
    "DS_ESTADO_CIVIL", "CD_COR_RACA", "DS_COR_RACA", "CD_OCUPACAO", "DS_OCUPACAO",
    "CD_SIT_TOT_TURNO", "DS_SIT_TOT_TURNO",
)  # fmt: skip
"""The header of ``consulta_cand_2024_<UF>.csv``, in file order."""

SENTINELS = frozenset({"#NULO#", "#NULO", "#NE", "#NE#", "-1", "-3", ""})
OFFICES = {"PREFEITO": "prefeito", "VEREADOR": "vereador", "VICE-PREFEITO": "vice"}


def _value(raw: str) -> str | None:
    value = raw.strip()
    return None if value in SENTINELS else value


def _date(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        return None


def age_on(birth: dt.date | None, day: dt.date | None) -> int | None:
    """Full years on ``day`` (the election day)."""
    if birth is None or day is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _rows(handle: io.TextIOBase, name: str) -> Iterator[dict[str, str | None]]:
    reader = csv.reader(handle, delimiter=";", quotechar='"')
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise CandidateDataError(f"{name}: not a consulta_cand file (its 50 columns differ)")
    for line_no, row in enumerate(reader, start=2):
        if len(row) != len(COLUMNS):
            raise CandidateDataError(f"{name} line {line_no}: {len(row)} fields, expected 50")
        yield {col: _value(cell) for col, cell in zip(COLUMNS, row, strict=True)}


def read_rows(path: Path) -> Iterator[dict[str, str | None]]:
    """Rows of a consulta_cand CSV, or of every per-state CSV in a consulta_cand zip."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [
                    m
                    for m in archive.namelist()
                    if m.lower().endswith(".csv") and "brasil" not in m.lower()
                ]
                if not members:
                    raise CandidateDataError(f"{path.name}: no consulta_cand CSV inside")
                for member in sorted(members):
                    with archive.open(member) as raw:
                        text = io.TextIOWrapper(raw, encoding="latin-1", newline="")
                        yield from _rows(text, member)
            return
        with path.open(encoding="latin-1", newline="") as handle:
            yield from _rows(handle, path.name)
    except OSError as exc:
        raise CandidateDataError(f"cannot read {path}: {exc.strerror or exc}") from None


def _profile(row: dict[str, str | None]) -> dict[str, Any]:
    birth = _date(row["DT_NASCIMENTO"])
    return {
        "nome_completo": row["NM_CANDIDATO"],
        "nome_social": row["NM_SOCIAL_CANDIDATO"],
        "nome_urna": row["NM_URNA_CANDIDATO"],
        "sigla_partido": row["SG_PARTIDO"],
        "nome_partido": row["NM_PARTIDO"],
        "genero": row["DS_GENERO"],
        "data_nascimento": birth.isoformat() if birth else None,
        "idade": age_on(birth, _date(row["DT_ELEICAO"])),
        "cor_raca": row["DS_COR_RACA"],
        "grau_instrucao": row["DS_GRAU_INSTRUCAO"],
        "estado_civil": row["DS_ESTADO_CIVIL"],
        "ocupacao": row["DS_OCUPACAO"],
        "situacao_candidatura": row["DS_SITUACAO_CANDIDATURA"],
        "situacao_totalizacao": row["DS_SIT_TOT_TURNO"],
        "federacao": row["SG_FEDERACAO"],
        "coligacao": row["NM_COLIGACAO"],
    }


def import_candidates(path: Path, municipio: str, ano: int = 2024) -> dict[str, Any]:
    """The overlay document for one municipality and year (latest round wins per candidate)."""
    wanted = fold(municipio)
    chosen: dict[str, tuple[int, dict[str, Any]]] = {}
    vices: dict[str, str] = {}
    read = 0
    found_name = municipio
    for row in read_rows(path):
        read += 1
        office = OFFICES.get(row["DS_CARGO"] or "")
        if office is None or fold(row["NM_UE"] or "") != wanted or row["ANO_ELEICAO"] != str(ano):
            continue
        number, turno = row["NR_CANDIDATO"], int(row["NR_TURNO"] or 1)
        if not number or not number.isdigit():
            continue
        found_name = row["NM_UE"] or municipio
        if office == "vice":
            vices[f"prefeito:{int(number)}"] = row["NM_URNA_CANDIDATO"] or row["NM_CANDIDATO"] or ""
            continue
        key = f"{office}:{int(number)}"
        if key not in chosen or turno >= chosen[key][0]:
            chosen[key] = (turno, _profile(row))
    if not chosen:
        raise CandidateDataError(f"no prefeito/vereador row for {municipio!r} in {ano} in {path}")
    profiles = {key: profile for key, (_, profile) in sorted(chosen.items())}
    for key, vice in vices.items():
        if key in profiles and vice:
            profiles[key]["vice"] = vice
    return {
        "formato": 1,
        "municipio": found_name,
        "ano": ano,
        "fonte": path.name,
        "linhas_lidas": read,
        "candidatos": profiles,
    }
