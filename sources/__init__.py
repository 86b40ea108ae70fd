"""Extraction from the platform's sources: plain Python, no Dagster imports."""
