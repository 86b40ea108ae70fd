"""One factory from a pandera mart contract to a blocking Dagster asset check.

dagster-pandera only turns a schema into a Dagster type; the check here reads the finished
mart table, validates it lazily and reports what a steward needs: pass/fail, rows per rule,
a table of sample failing rows, and the owner of the table.
"""

import dagster as dg

from .settings import Settings

CHECK_NAME = "pandera_contract"


def mart_tables_by_key(dbt_assets: list[dg.AssetsDefinition]) -> dict[dg.AssetKey, tuple[str, list[str]]]:
    """mart asset key -> (table name in the warehouse, owners), from the dbt asset specs
    (a model's alias, e.g. dim_channels -> channels, is the table BI sees)."""
    tables = {}
    for assets_def in dbt_assets:
        for spec in assets_def.specs:
            if spec.key.path[0] != "mart":
                continue
            table = str(spec.metadata.get("dagster/table_name", spec.key.path[-1])).split(".")[-1]
            tables[spec.key] = (table, list(spec.owners))
    return tables


def build_mart_contract_check(
    asset_key: dg.AssetKey, table: str, owners: list[str], settings: Settings
) -> dg.AssetChecksDefinition:
    owner = ", ".join(owners) or "unowned"

    @dg.asset_check(
        asset=asset_key,
        name=CHECK_NAME,
        blocking=True,
        description=f"mart.{table} meets its pandera contract in quality/mart_contracts.py. Owner {owner}.",
        pool="duckdb_warehouse",
    )
    def _check() -> dg.AssetCheckResult:
        # step-time imports (pandas, DuckDB, pandera), see orchestration/extract.py
        import duckdb

        from quality.mart_contracts import MART_CONTRACTS, check_mart_table
        from quality.validate import sample_failures_markdown

        contract = MART_CONTRACTS.get(table)
        if contract is None:
            return dg.AssetCheckResult(
                passed=False,
                severity=dg.AssetCheckSeverity.ERROR,
                description=f"mart.{table} has no contract in quality/mart_contracts.py. Owner {owner}.",
                metadata={"owner": owner},
            )
        with duckdb.connect(str(settings.warehouse), read_only=True) as connection:
            frame = connection.execute(f'select * from mart."{table}"').df()
        result, failing_rows = check_mart_table(frame, table)
        passed = not result.schema_problems and failing_rows == 0
        counts = result.rule_counts()
        return dg.AssetCheckResult(
            passed=passed,
            severity=dg.AssetCheckSeverity.ERROR,
            description=(
                f"{failing_rows} of {len(frame)} rows of mart.{table} break its contract"
                + (f"; schema: {'; '.join(result.schema_problems)}" if result.schema_problems else "")
                + f". Owner {owner}."
            ),
            metadata={
                "rows": len(frame),
                "failing_rows": failing_rows,
                "schema_problems": dg.MetadataValue.json(result.schema_problems),
                "rule_counts": dg.MetadataValue.md(counts.to_markdown(index=False) if len(counts) else "No violations."),
                "sample_failures": dg.MetadataValue.md(sample_failures_markdown(result)),
                "contract": f"quality.mart_contracts.{contract.__name__}",
                "owner": owner,
            },
        )

    return _check


def build_mart_contract_checks(dbt_assets: list[dg.AssetsDefinition], settings: Settings) -> list[dg.AssetChecksDefinition]:
    """One check per mart table. That every mart table has a contract is asserted by
    tests/test_definitions.py, not here: importing pandera would double the load time."""
    tables = mart_tables_by_key(dbt_assets)
    return [
        build_mart_contract_check(key, table, owners, settings)
        for key, (table, owners) in sorted(tables.items(), key=lambda item: item[1][0])
    ]
