"""A query's answer as plain data, and its CSV/JSON forms (no terminal, no I/O)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import decimal
import io
import json
from typing import Any


@dataclasses.dataclass(frozen=True)
class QueryResult:
    """Column names and rows, as the engine returned them."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def plain(value: Any) -> Any:
    """A value as JSON/CSV can hold it: dates in ISO form, decimals as floats."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def to_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if v is None else plain(v) for v in row])
    return buffer.getvalue()


def to_json(result: QueryResult) -> str:
    records = [{k: plain(v) for k, v in r.items()} for r in result.records()]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
