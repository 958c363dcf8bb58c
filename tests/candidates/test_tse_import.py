"""``tglake candidates import``: rows in the exact consulta_cand format (latin1, ``;``, every
field quoted, TSE sentinels) built from the 5 real sample rows of the shared folder."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from tglake.adapters.stores import reference_store
from tglake.bot import commands
from tglake.bot.answer import Answer
from tglake.candidates import build
from tglake.candidates.overlay import lake_candidates
from tglake.candidates.tse_import import COLUMNS, age_on, import_candidates
from tglake.cli import main_group
from tglake.cli.context import run_guarded
from tglake.config import Settings
from tglake.errors import CandidateDataError

GENERO = {"2": "MASCULINO", "4": "FEMININO"}
INSTRUCAO = {"6": "ENSINO MÉDIO COMPLETO", "8": "SUPERIOR COMPLETO"}
ESTADO_CIVIL = {"1": "SOLTEIRO(A)", "3": "CASADO(A)"}
COR_RACA = {"1": "BRANCA", "2": "PRETA"}
# The sample has no NR_CANDIDATO / NM_URNA_CANDIDATO: to exercise the merge, each row gets the
# number of a vereador of the same party. This pairs test rows, it says nothing about people.
TEST_NUMBERS = {"40": 40000, "77": 77600, "44": 44000, "50": 50050, "15": 15555}


def sample_rows() -> list[dict[str, str]]:
    with (build.DEFAULT_SHARED / build.SAMPLE_FILE).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def tse_row(
    sample: dict[str, str], *, nm_ue: str = "MOGI DAS CRUZES", ano: str = "2024"
) -> list[str]:
    values = {col: "#NULO#" for col in COLUMNS}
    values.update(
        {
            "DT_GERACAO": "01/10/2024", "HH_GERACAO": "16:31:49", "ANO_ELEICAO": ano,
            "CD_TIPO_ELEICAO": "2", "NM_TIPO_ELEICAO": "ELEIÇÃO ORDINÁRIA", "NR_TURNO": "1",
            "CD_ELEICAO": "619", "DS_ELEICAO": "Eleições Municipais 2024",
            "DT_ELEICAO": "06/10/2024", "TP_ABRANGENCIA_ELEICAO": "MUNICIPAL", "SG_UF": "SP",
            "SG_UE": "66850", "NM_UE": nm_ue, "CD_CARGO": "13", "SQ_CANDIDATO": "250002000001",
            "NR_CANDIDATO": str(TEST_NUMBERS[sample["NR_PARTIDO"]]), "NR_CPF_CANDIDATO": "-4",
            "DS_EMAIL": "#NULO#", "CD_SITUACAO_CANDIDATURA": "12",
            "DS_SITUACAO_CANDIDATURA": "APTO", "TP_AGREMIACAO": "PARTIDO ISOLADO",
            "NR_FEDERACAO": "-1", "SG_FEDERACAO": "#NULO#", "SQ_COLIGACAO": "-1",
            "NM_COLIGACAO": "#NE", "NR_TITULO_ELEITORAL_CANDIDATO": "-4",
            "DS_GENERO": GENERO[sample["CD_GENERO"]],
            "DS_GRAU_INSTRUCAO": INSTRUCAO[sample["CD_GRAU_INSTRUCAO"]],
            "DS_ESTADO_CIVIL": ESTADO_CIVIL[sample["CD_ESTADO_CIVIL"]],
            "DS_COR_RACA": COR_RACA[sample["CD_COR_RACA"]],
            "CD_SIT_TOT_TURNO": "-1", "DS_SIT_TOT_TURNO": "#NULO#", "NM_SOCIAL_CANDIDATO": "#NULO",
        }
    )  # fmt: skip
    values.update({k: v for k, v in sample.items() if k in values})
    values["NM_URNA_CANDIDATO"] = sample["NM_CANDIDATO"].split()[0]
    return [values[col] for col in COLUMNS]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("latin-1"))
    return path


@pytest.fixture
def consulta_csv(tmp_path: Path) -> Path:
    samples = sample_rows()
    rows = [tse_row(s) for s in samples]
    rows.append(tse_row(samples[0], nm_ue="SUZANO"))  # another municipality
    rows.append(tse_row(samples[1], ano="2020"))  # another year
    return write_csv(tmp_path / "consulta_cand_2024_SP.csv", rows)


def test_the_column_list_is_the_shared_one() -> None:
    with (build.DEFAULT_SHARED / "consulta_cand_2024_SP_colunas.csv").open(encoding="utf-8") as f:
        assert tuple(row["coluna"] for row in csv.DictReader(f)) == COLUMNS


def test_the_file_is_latin1_semicolon_and_quoted(consulta_csv: Path) -> None:
    raw = consulta_csv.read_bytes()
    assert raw.startswith(b'"DT_GERACAO";"HH_GERACAO";')
    assert "SERVIDOR PÚBLICO MUNICIPAL".encode("latin-1") in raw


def test_import_keeps_one_municipality_and_year_with_sentinels_as_nulls(
    consulta_csv: Path,
) -> None:
    overlay = import_candidates(consulta_csv, "mogi das cruzes")
    assert overlay["linhas_lidas"] == 7
    assert sorted(overlay["candidatos"]) == [
        "vereador:15555",
        "vereador:40000",
        "vereador:44000",
        "vereador:50050",
        "vereador:77600",
    ]
    leandro = overlay["candidatos"]["vereador:40000"]
    assert leandro["nome_completo"] == "LEANDRO MARCONDES TEIXEIRA"
    assert leandro["sigla_partido"] == "PSB"
    assert leandro["genero"] == "MASCULINO"
    assert leandro["data_nascimento"] == "2000-07-21"
    assert leandro["idade"] == 24
    assert leandro["ocupacao"] == "SERVIDOR PÚBLICO MUNICIPAL"
    assert leandro["situacao_candidatura"] == "APTO"
    assert leandro["nome_social"] is None  # "#NULO"
    assert leandro["federacao"] is None  # "#NULO#"
    assert leandro["coligacao"] is None  # "#NE"
    assert leandro["situacao_totalizacao"] is None  # "#NULO#" before the count
    assert "cpf" not in str(leandro).lower()
    ages = sorted(p["idade"] for p in overlay["candidatos"].values())
    assert ages == [24, 25, 46, 51, 52]


def test_the_zip_gives_the_same_overlay(consulta_csv: Path, tmp_path: Path) -> None:
    archive = tmp_path / "consulta_cand_2024.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(consulta_csv, "consulta_cand_2024_SP.csv")
        zf.writestr("leiame.pdf", b"%PDF-1.4")
    from_zip = import_candidates(archive, "MOGI DAS CRUZES")
    from_csv = import_candidates(consulta_csv, "MOGI DAS CRUZES")
    assert from_zip["candidatos"] == from_csv["candidatos"]


def test_a_file_with_other_columns_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_bytes('"NR_CANDIDATO";"NM_CANDIDATO"\r\n"22";"X"\r\n'.encode("latin-1"))
    with pytest.raises(CandidateDataError, match="not a consulta_cand file"):
        import_candidates(bad, "MOGI DAS CRUZES")


def test_a_municipality_without_rows_is_an_error(consulta_csv: Path) -> None:
    with pytest.raises(CandidateDataError, match="no prefeito/vereador row for 'Guararema'"):
        import_candidates(consulta_csv, "Guararema")


def test_age_counts_full_years_on_election_day() -> None:
    import datetime as dt

    election = dt.date(2024, 10, 6)
    assert age_on(dt.date(2000, 10, 6), election) == 24
    assert age_on(dt.date(2000, 10, 7), election) == 23
    assert age_on(None, election) is None


def test_cli_import_writes_the_overlay_the_bot_then_uses(
    consulta_csv: Path, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "candidates",
        "import",
        str(consulta_csv),
        "--municipio",
        "Mogi das Cruzes",
        "--lake",
        str(lake),
    ]
    assert run_guarded(main_group, args) == 0
    out = capsys.readouterr().out
    assert "5 candidates of MOGI DAS CRUZES 2024 (7 rows read); 5 matched the vote data" in out
    assert (lake / "reference" / "candidates" / "overlay.json").is_file()
    data = lake_candidates(reference_store(Settings(lake=str(lake))))
    card, perfil = (
        commands.handle(
            {"update_id": i, "message": {"message_id": i, "chat": {"id": 3, "type": "private"},
                                         "date": 0, "text": text}},
            data,
        )
        for i, text in enumerate(["/candidato 40000", "/perfil"], start=1)
    )  # fmt: skip
    assert isinstance(card, Answer)
    assert "Nome completo: LEANDRO MARCONDES TEIXEIRA" in card.text
    assert "Idade na eleição: 24 anos" in card.text
    assert isinstance(perfil, Answer)
    assert "Candidatos com ficha: 5" in perfil.text
    assert "feminino 1, masculino 4" in perfil.text


def test_cli_import_of_a_missing_municipality_prints_an_error(
    consulta_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "candidates",
        "import",
        str(consulta_csv),
        "--municipio",
        "Guararema",
        "--out",
        str(tmp_path / "o.json"),
    ]
    assert run_guarded(main_group, args) == 1
    assert capsys.readouterr().err.startswith("Error: no prefeito/vereador row for 'Guararema'")
