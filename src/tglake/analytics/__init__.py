"""Analytics over the enriched zone: the SQL library, the DuckDB engine and the report."""
