"""Serving the mart to BI tools: read-only snapshots (DuckDB + Parquet) and PostgreSQL."""
