"""Run the query library on DuckDB over the enriched zone: a local folder or ``s3://``.

Every enriched table becomes a view named after it, with ``context_date`` read from the hive
path as a DATE. A table the lake does not have (yet) becomes an empty view with the columns of
:mod:`tglake.schema`, so every query runs on a partial lake. The views of
:data:`tglake.analytics.sql.VIEWS` (``messages_latest``) are defined over them, and a chat scope
(``--chat``, :mod:`tglake.analytics.chats`) filters every table's view, so everything above
sees only those chats. Each table is first scanned as ``_scan_<table>``; the view reads that.

Local folders are read by DuckDB's own Parquet reader. For ``s3://`` the DuckDB ``httpfs``
extension would be the natural choice, but the pip ``duckdb`` wheel does not bundle it and
installing it downloads from DuckDB's extension server, which a machine without network (and
this project's CI) cannot reach. So S3 is read through pyarrow's S3 filesystem (which honours
``AWS_ENDPOINT_URL`` and the usual AWS credential variables) as Arrow datasets that DuckDB scans
in place, with projection and partition filters pushed down.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

from tglake import layout, schema
from tglake.analytics import chats
from tglake.analytics.results import QueryResult
from tglake.analytics.sql import DUCKDB, VIEWS, Period, Query, for_dialect, render, view_sql
from tglake.config import DEFAULT_SESSION_GAP_MINUTES
from tglake.errors import ConfigError, EmptyResultError, QueryError, StorageUnavailableError

log = logging.getLogger(__name__)

PARTITIONING = ds.partitioning(pa.schema([(layout.PARTITION, pa.date32())]), flavor="hive")


def table_schema(table: str) -> pa.Schema:
    """The columns a view shows: the file columns of schema.py plus the partition."""
    return schema.SCHEMAS[table].append(pa.field(layout.PARTITION, pa.date32()))


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _is_data_file(name: str) -> bool:
    return name.endswith(".parquet") and not name.startswith((".", "_"))


def _local_files(root: Path, table: str) -> list[str]:
    base = root / layout.enriched_table_prefix(table)
    prefix = f"{layout.PARTITION}="
    if not base.is_dir():
        return []
    return sorted(
        str(path)
        for part in base.iterdir()
        if part.is_dir() and part.name.startswith(prefix) and not part.name.startswith(".")
        for path in part.iterdir()
        if path.is_file() and _is_data_file(path.name)
    )


def s3_filesystem(endpoint_url: str | None) -> Any:
    """pyarrow's S3 filesystem, pointed at ``endpoint_url`` when one is given."""
    from pyarrow import fs

    options: dict[str, Any] = {}
    if endpoint_url:
        parsed = urlparse(endpoint_url)
        options["endpoint_override"] = parsed.netloc or endpoint_url
        options["scheme"] = parsed.scheme or "https"
    return fs.S3FileSystem(**options)


class DuckDBEngine:
    """Views over one enriched zone, and the queries of the library run on them."""

    def __init__(
        self,
        enriched_uri: str,
        *,
        timezone: str,
        connection: duckdb.DuckDBPyConnection | None = None,
        endpoint_url: str | None = None,
        s3_filesystem_factory: Any = s3_filesystem,
        chat: tuple[str, ...] = (),
        session_gap_minutes: int = DEFAULT_SESSION_GAP_MINUTES,
    ) -> None:
        self.enriched_uri = enriched_uri
        self.timezone = timezone
        self.session_gap_minutes = session_gap_minutes
        self.con = connection if connection is not None else duckdb.connect()
        self.present: set[str] = set()
        if enriched_uri.startswith("s3://"):
            self._views_from_s3(s3_filesystem_factory(endpoint_url))
        elif "://" in enriched_uri:
            raise ConfigError(
                f"cannot read the enriched zone at {enriched_uri}: not a folder or s3://"
            )
        else:
            self._views_from_folder(Path(enriched_uri))
        self.scope = chats.resolve(chat, self.sql, "_scan_messages")
        for table in schema.SCHEMAS:
            where = chats.predicate(table, self.scope)
            self.con.execute(
                f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM _scan_{table} WHERE {where}"  # noqa: S608
            )
        for view in VIEWS:
            self.con.execute(f"CREATE OR REPLACE VIEW {view} AS {view_sql(view)}")

    def _empty_view(self, table: str) -> None:
        self.con.register(f"_scan_{table}", table_schema(table).empty_table())

    def _views_from_folder(self, root: Path) -> None:
        for table in schema.SCHEMAS:
            files = _local_files(root, table)
            if not files:
                self._empty_view(table)
                continue
            listing = ", ".join(_sql_string(f) for f in files)
            # the file names come from our own listing and are quoted as SQL strings
            view = (
                f"CREATE OR REPLACE VIEW _scan_{table} AS SELECT * FROM read_parquet([{listing}], "  # noqa: S608
                f"hive_partitioning = true, hive_types = {{'{layout.PARTITION}': DATE}}, "
                "union_by_name = true)"
            )
            self.con.execute(view)
            self.present.add(table)

    def _views_from_s3(self, filesystem: Any) -> None:
        from pyarrow import fs

        parsed = urlparse(self.enriched_uri)
        base = f"{parsed.netloc}/{parsed.path.strip('/')}".rstrip("/")
        for table in schema.SCHEMAS:
            table_dir = f"{base}/{layout.enriched_table_prefix(table)}".rstrip("/")
            try:
                infos = filesystem.get_file_info(fs.FileSelector(table_dir, recursive=True))
            except FileNotFoundError:
                infos = []
            except OSError as exc:
                raise StorageUnavailableError(f"cannot list {self.enriched_uri}: {exc}") from exc
            files = sorted(
                i.path for i in infos if i.type == fs.FileType.File and _is_data_file(i.base_name)
            )
            if not files:
                self._empty_view(table)
                continue
            dataset = ds.dataset(
                files,
                schema=table_schema(table),
                format="parquet",
                filesystem=filesystem,
                partitioning=PARTITIONING,
                partition_base_dir=table_dir,
            )
            self.con.register(f"_scan_{table}", dataset)
            self.present.add(table)

    def list_chats(self) -> QueryResult:
        """The chats of the whole lake with their message counts (private ones as one row)."""
        return chats.list_chats(self.sql, "_scan_messages")

    def sql(self, text: str) -> QueryResult:
        """Run any SQL over the views."""
        try:
            cursor = self.con.execute(text)
        except duckdb.Error as exc:
            first_line = (
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            )
            raise QueryError(f"the query failed: {first_line}") from exc
        columns = tuple(d[0] for d in cursor.description or ())
        return QueryResult(columns, tuple(tuple(row) for row in cursor.fetchall()))

    def lake_period(self) -> Period:
        """The days for which the lake holds messages (EmptyResultError when none)."""
        result = self.sql("SELECT min(context_date), max(context_date) FROM messages")
        first, last = result.rows[0]
        if first is None:
            raise EmptyResultError(f"the lake at {self.enriched_uri} has no messages yet")
        return Period(first, last)

    def resolve_period(self, start: dt.date | None, end: dt.date | None) -> Period:
        """``--from``/``--to`` with the lake's own first and last day filling what is missing."""
        if start is None or end is None:
            lake = self.lake_period()
            if start is None:
                start = min(lake.start, end) if end else lake.start
            if end is None:
                end = max(lake.end, start)
        return Period(start, end)

    def has_messages(self, period: Period) -> bool:
        found = self.con.execute(
            "SELECT count(*) FROM messages WHERE context_date BETWEEN ? AND ?",
            [period.start, period.end],
        ).fetchone()
        return bool(found and found[0])

    def require_messages(self, period: Period) -> None:
        """EmptyResultError unless the period holds at least one message."""
        if not self.has_messages(period):
            raise EmptyResultError(
                f"no messages between {period.start} and {period.end} in {self.enriched_uri}"
            )

    def run(self, query: Query, period: Period) -> QueryResult:
        """One query of the library over ``period``."""
        text = render(
            for_dialect(query, DUCKDB),
            period,
            self.timezone,
            DUCKDB,
            session_gap_minutes=self.session_gap_minutes,
        )
        log.debug("query name=%s start=%s end=%s", query.name, period.start, period.end)
        return self.sql(text)
