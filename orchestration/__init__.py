"""The Dagster code location: thin wiring of sources/, quality/ and dbt_project/."""
