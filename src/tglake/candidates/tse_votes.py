"""Parse the edited TSE "resultado da votação por seção" report into blocks of seção votes.

The file (``resultado-votacao-secao-editado.txt``) is a sequence of zones; each zone a sequence
of blocks headed ``Candidato:NN - NOME``, ``Votável:95 - Branco`` / ``Votável:96 - Nulo,:,Nulo``
or ``Partido: NN - NOME (legenda)``, followed by ``seção,votos,…`` lines and a ``Total: N.NNN``
line. A ``Cargo: Vereador`` line splits the prefeito race (before, unlabelled) from the
vereador race. A block's seções go up; when a seção number goes back down, a new *run* starts:
a well-formed block has one run, and the parser keeps every run so that the build can decide
(explicitly, per known defect) what a second run is.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from tglake.errors import CandidateDataError

PREFEITO = "prefeito"
VEREADOR = "vereador"

CANDIDATO = "candidato"
BRANCO = "branco"
NULO = "nulo"
LEGENDA = "legenda"

_ZONE = re.compile(r"^Zona Eleitoral:\s*(\d+)\s*$")
_CARGO = re.compile(r"^Cargo:\s*Vereador\s*$")
_CANDIDATE = re.compile(r"^Candidato:\s*(\d+)\s*-\s*(.+?)\s*$")
_VOTAVEL = re.compile(r"^Votável:\s*(95|96)\s*-\s*(.+?)\s*$")
_PARTY = re.compile(r"^Partido:\s*(\d+)\s*-\s*(.+?)\s*\(legenda\)\s*$")
_TOTAL = re.compile(r"^Total:\s*([\d.]+)\s*$")
_STATUS = re.compile(r"^(?P<name>.*?)\s*,\s*:\s*,\s*(?P<status>.+?)$")
_DATA = re.compile(r"^[\d,\s]+$")


@dataclasses.dataclass
class Block:
    """One headed block of one zone: who (or what) got the votes, seção by seção."""

    office: str
    zone: str
    kind: str
    number: int
    label: str
    status: str | None
    header_line: int
    runs: list[dict[int, int]] = dataclasses.field(default_factory=list)
    printed_total: int | None = None
    total_line: int | None = None

    def secao_sum(self) -> int:
        return sum(sum(run.values()) for run in self.runs)


def _split_label(label: str) -> tuple[str, str | None]:
    """``"ALEX DAS VERDURAS,  :,Anulado sub judice"`` → name and the report's vote status."""
    match = _STATUS.match(label)
    if match:
        return match["name"].strip(), match["status"].strip()
    return label.strip(), None


def parse_report(lines: Iterable[str]) -> list[Block]:
    """Every block of the report, in file order; raises on a line it does not understand."""
    blocks: list[Block] = []
    office, zone = PREFEITO, ""
    current: Block | None = None

    def open_block(kind: str, number: int, label: str, status: str | None, line_no: int) -> None:
        nonlocal current
        if not zone:
            raise CandidateDataError(f"line {line_no}: block before any 'Zona Eleitoral' line")
        current = Block(office, zone, kind, number, label, status, line_no)
        current.runs.append({})
        blocks.append(current)

    for line_no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line[0].isdigit() or line[0] == ",":
            tokens = [t for t in re.split(r"[,\s]+", line) if t]
            if not _DATA.match(line):
                raise CandidateDataError(f"line {line_no}: unexpected line {line[:60]!r}")
            if current is None or current.printed_total is not None:
                if tokens in ([], ["0"]):  # the stray '0' / ',' lines between zones
                    continue
                raise CandidateDataError(f"line {line_no}: seção votes outside a block")
            _add_pairs(current, tokens, line_no)
        elif m := _ZONE.match(line):
            zone, current = m[1].zfill(4), None
        elif _CARGO.match(line):
            office, current = VEREADOR, None
        elif m := _CANDIDATE.match(line):
            name, status = _split_label(m[2])
            open_block(CANDIDATO, int(m[1]), name, status, line_no)
        elif m := _VOTAVEL.match(line):
            kind = BRANCO if m[1] == "95" else NULO
            open_block(kind, int(m[1]), _split_label(m[2])[0], None, line_no)
        elif m := _PARTY.match(line):
            open_block(LEGENDA, int(m[1]), m[2].strip(), None, line_no)
        elif m := _TOTAL.match(line):
            if current is None or current.printed_total is not None:
                raise CandidateDataError(f"line {line_no}: a Total line outside a block")
            current.printed_total = int(m[1].replace(".", ""))
            current.total_line = line_no
        else:
            raise CandidateDataError(f"line {line_no}: unexpected line {line[:60]!r}")
    return blocks


def _add_pairs(block: Block, tokens: list[str], line_no: int) -> None:
    values = [int(t) for t in tokens]
    if len(values) % 2:
        raise CandidateDataError(f"line {line_no}: an odd number of seção/votos values")
    for secao, votes in zip(values[::2], values[1::2], strict=True):
        run = block.runs[-1]
        if run and secao <= next(reversed(run)):
            run = {}
            block.runs.append(run)
        run[secao] = votes
