"""Tables that fit the terminal they are printed on.

A rich table wider than the terminal squeezes its columns until headers read ``20…`` and whole
columns vanish. Here a table is printed as it is when it fits; when it does not, it is turned on
its side (one line per column, one column per row, the first column's values as headers) and
cut into as many side-by-side blocks as the width needs. Nothing is ever truncated: a cell that
cannot fit even alone wraps onto more lines, and dates and numbers never wrap.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table


def _width(console: Console, table: Table) -> int:
    """The width ``table`` takes with nothing squeezed (measured without the console's limit)."""
    unbounded = console.options.update_width(100_000)
    return Measurement.get(console, unbounded, table).maximum


def _wide(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool], title: str | None
) -> Table:
    table = Table(title=title, header_style="bold")
    for header, is_right in zip(headers, right, strict=True):
        table.add_column(header, justify="right" if is_right else "left", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return table


def _side(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool], title: str | None
) -> Table:
    """``rows`` on their side: a line per header, a column per row, headed by the row's first
    value (a lone row has no header line: it reads as ``name  value`` pairs)."""
    lone = len(rows) == 1
    table = Table(title=title, header_style="bold", show_header=not lone)
    table.add_column(headers[0], style="bold", no_wrap=True)
    for row in rows:
        table.add_column(row[0], justify="right", no_wrap=all(right[1:]), overflow="fold")
    for index, header in enumerate(headers[0 if lone else 1 :], start=0 if lone else 1):
        table.add_row(header, *(row[index] for row in rows))
    return table


def fitted(
    console: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[bool],
    title: str | None = None,
) -> list[Table]:
    """The tables to print for ``rows`` on ``console``: the table itself when it fits its width,
    else the rows on their side, as many per block as fit (at least one)."""
    wide = _wide(headers, rows, right, title)
    if not rows or _width(console, wide) <= console.width:
        return [wide]
    blocks: list[Table] = []
    start = 0
    while start < len(rows):
        end = start + 1
        while end < len(rows) and _width(console, _side(headers, rows[start : end + 1], right,
                                                         None)) <= console.width:  # fmt: skip
            end += 1
        blocks.append(_side(headers, rows[start:end], right, title if not blocks else None))
        start = end
    return blocks
