"""``tglake candidates build|import``: the bot's candidate data."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tglake.cli.context import lake_option, load_settings


@click.group()
def candidates() -> None:
    """The bot's candidate data (TSE, Mogi das Cruzes 2024)."""


@candidates.command("build")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The shared TSE folder (default: ../shared/data/tse beside the repository).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the file (default: the one bundled with the package).",
)
def build_cmd(shared: Path | None, out: Path | None) -> None:
    """Rebuild candidates.json.gz from the shared TSE files, checking every printed total."""
    from tglake.candidates import build
    from tglake.candidates.catalog import BUNDLED

    document = build.build(shared or build.DEFAULT_SHARED)
    size = build.write(document, out or BUNDLED)
    checks = document["conferencia_totais"]
    join = document["juncao_secao_bairro"]
    click.echo(
        f"{len(document['candidatos'])} candidates, {len(document['partidos'])} parties → "
        f"{out or BUNDLED} ({size:,} bytes)"
    )
    click.echo(
        f"printed totals: {checks['totais_conferidos']} of {checks['blocos_no_arquivo']} blocks "
        f"equal their seção sum; explained: {len(checks['explicados'])} (Sheila Mantovanni, "
        "zone 0074: split into her votes and the zone's blank votes)"
    )
    click.echo(
        f"seção → bairro: {join['secoes_com_bairro']} of {join['secoes_nos_resultados']} seções "
        f"joined; without bairro: {len(join['secoes_sem_bairro'])} (ambiguous place)"
    )


@candidates.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--municipio", required=True, help="Municipality as in NM_UE (accents optional).")
@click.option("--ano", default=2024, show_default=True, type=int, help="Election year.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the overlay here instead of <lake>/reference/candidates/overlay.json.",
)
@lake_option
def import_cmd(file: Path, municipio: str, ano: int, out: Path | None, lake: str | None) -> None:
    """Merge full names, party, gender, age, race, education and occupation from consulta_cand."""
    from tglake.adapters.stores import reference_store
    from tglake.candidates import catalog as cand
    from tglake.candidates import overlay as ov
    from tglake.candidates.tse_import import import_candidates

    document = import_candidates(file, municipio, ano)
    data = cand.load(document)
    matched = sum(1 for c in data.candidates if c.profile)
    if out is not None:
        out.write_text(json.dumps(document, ensure_ascii=False, indent=1), "utf-8")
        where = str(out)
    else:
        store = reference_store(load_settings(lake=lake))
        where = f"{store.uri}/{ov.save_overlay(store, document)}"
    click.echo(
        f"{len(document['candidatos'])} candidates of {document['municipio']} {ano} "
        f"({document['linhas_lidas']} rows read); {matched} matched the vote data → {where}"
    )
