"""Entity resolution against the warehouse: read the company records dbt prepared, match
and cluster them, keep customer keys stable, build golden records, and write the
resolution schema (one transaction). Plain Python; Dagster only calls run_resolution().

Tables written:
  resolution.record_customer_keys   every company record -> customer_key, rule, probability
  resolution.golden_customers       one row per customer: attributes with provenance
  resolution.review_pairs           uncertain pairs for the steward (between the thresholds)
  resolution.customer_key_map       current record -> customer_key (read back on the next run)
  resolution.customer_key_events    append-only history of new keys, merges and splits
  resolution.person_keys            every person record -> person_key and customer_key
  resolution.person_key_map / person_key_events   the same history for people
  resolution.match_runs             append-only accuracy and volume per run
  resolution.match_run_sources      append-only per run and source entity: records, customers,
                                    duplicates merged within the source (data-quality mart)
  resolution.match_state_features / match_state_pairs / match_state_model
                                    what the next run's incremental matching builds on
                                    (features with input fingerprints, scored pairs, the model)
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from .evaluate import PairwiseScore, pairwise_scores
from .golden import golden_records
from .keys import assign_customer_keys
from .matching import INPUT_COLUMNS, Decision, MatchState, exact_baseline, record_ids, resolve
from .normalise import config
from .people import resolve_people

DECISIONS_PATH = Path(__file__).resolve().parent.parent / "quality" / "steward_decisions.csv"
RECORDS_TABLE = "intermediate.int_company_records"
PEOPLE_TABLE = "intermediate.int_person_records"
HISTORY_DDL = {
    "customer_key_events": "event varchar, customer_key varchar, other_key varchar, records bigint, "
    "run_id varchar, happened_at timestamp",
    "person_key_events": "event varchar, customer_key varchar, other_key varchar, records bigint, "
    "run_id varchar, happened_at timestamp",
    "match_runs": "run_id varchar, resolved_at timestamp, records bigint, customers bigint, review_pairs bigint, "
    "f1 double, \"precision\" double, recall double, baseline_f1 double, link_rules varchar, "
    "matching_mode varchar, matching_reason varchar, records_rescored bigint",
    "match_run_sources": "run_id varchar, resolved_at timestamp, source_entity varchar, records bigint, "
    "customers bigint, duplicates_merged bigint, records_linked_across_sources bigint",
}


@dataclass
class ResolutionReport:
    records: int
    customers: int
    records_per_source: dict[str, int]
    merged_records_per_source: dict[str, int]
    duplicates_merged_per_source: dict[str, int]
    link_rules: dict[str, int]
    review_pairs: pd.DataFrame
    key_events: dict[str, int]
    records_without_name: int
    person_records: int = 0
    persons: int = 0
    splink_score: PairwiseScore | None = None
    baseline_score: PairwiseScore | None = None
    person_score: PairwiseScore | None = None
    matching_mode: str = "full"  # or "incremental" (only new and changed records scored)
    matching_reason: str = ""
    records_rescored: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def per_source_counts(clusters: pd.DataFrame) -> pd.DataFrame:
    """Per source entity: records, the customers they resolve to, the duplicates merged
    within the source (records - customers) and records linked to another source."""
    sources_per_customer = clusters.groupby("customer_key")["source_entity"].nunique()
    linked = clusters["customer_key"].map(sources_per_customer) > 1
    counts = (
        clusters.assign(linked=linked)
        .groupby("source_entity")
        .agg(records=("record_key", "size"), customers=("customer_key", "nunique"), records_linked_across_sources=("linked", "sum"))
        .reset_index()
    )
    counts["duplicates_merged"] = counts["records"] - counts["customers"]
    return counts


def read_decisions(path: Path = DECISIONS_PATH) -> list[Decision]:
    """Steward decisions: record ids are '<source_entity>|<record_key>'."""
    if not path.exists():
        return []
    frame = pd.read_csv(path, dtype=str).dropna(subset=["record_a", "record_b", "decision"])
    bad = sorted(set(frame["decision"]) - {"match", "no_match"})
    if bad:
        raise ValueError(f"{path}: decision must be 'match' or 'no_match', found {bad}")
    return [Decision(r.record_a, r.record_b, r.decision) for r in frame.itertuples()]


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _score_against_truth(features: pd.DataFrame, clusters: pd.DataFrame, truth_path: Path) -> tuple[PairwiseScore, PairwiseScore]:
    truth = pd.read_csv(truth_path, dtype=str)[["source_entity", "record_key", "true_company_id"]]
    labelled = features.merge(truth, on=["source_entity", "record_key"], how="inner")
    predicted = clusters.set_index("record_id")["cluster_id"].loc[labelled["record_id"]].reset_index(drop=True)
    baseline = exact_baseline(features).set_index("record_id")["cluster_id"].loc[labelled["record_id"]].reset_index(drop=True)
    true_labels = labelled["true_company_id"].reset_index(drop=True)
    return pairwise_scores(predicted, true_labels), pairwise_scores(baseline, true_labels)


def add_missing_columns(con: duckdb.DuckDBPyConnection, table: str, ddl: str) -> None:
    """History tables outlive releases: a column added to HISTORY_DDL is added in place."""
    for column in (c.strip() for c in ddl.split(",")):
        con.execute(f"alter table {table} add column if not exists {column}")


def read_match_state(con: duckdb.DuckDBPyConnection) -> MatchState | None:
    if not _table_exists(con, "resolution", "match_state_model"):
        return None
    row = con.execute("select model_json, trained_at, settings_fingerprint from resolution.match_state_model").fetchone()
    if row is None:
        return None
    return MatchState(
        features=con.execute("select * from resolution.match_state_features").df(),
        pairs=con.execute("select * from resolution.match_state_pairs").df(),
        model=json.loads(row[0]),
        trained_at=row[1],
        settings_fingerprint=row[2],
    )


def write_match_state(con: duckdb.DuckDBPyConnection, state: MatchState | None) -> None:
    """Replaced on every run (inside the caller's transaction); no state, no incremental run."""
    for table in ("match_state_features", "match_state_pairs", "match_state_model"):
        con.execute(f"drop table if exists resolution.{table}")
    if state is None:
        return
    for table, frame in (("match_state_features", state.features), ("match_state_pairs", state.pairs)):
        con.register("frame", frame)
        # tokens are derived again from name_norm when the state is read
        con.execute(f"create table resolution.{table} as select * exclude (name_tokens, name_first_token) from frame"
                    if "name_tokens" in frame else f"create table resolution.{table} as select * from frame")
        con.unregister("frame")
    con.execute("create table resolution.match_state_model (model_json varchar, trained_at timestamp, settings_fingerprint varchar)")
    con.execute("insert into resolution.match_state_model values (?, ?, ?)",
                [json.dumps(state.model), state.trained_at, state.settings_fingerprint])


def run_resolution(
    warehouse: Path,
    *,
    run_id: str,
    truth_path: Path | None = None,
    decisions_path: Path = DECISIONS_PATH,
    full_rematch: bool = False,
) -> ResolutionReport:
    """full_rematch: train and score every pair even when the stored model could be reused."""
    settings = config()["matching"]
    # Matching reads only its input columns; the other attributes (golden records) and the
    # people are read after Splink is done, so the largest frames are never alive together.
    matching_columns = ", ".join(f'"{c}"' for c in INPUT_COLUMNS)
    with duckdb.connect(str(warehouse)) as con:
        matching_records = con.execute(f"select {matching_columns} from {RECORDS_TABLE}").df()
        previous = (
            con.execute("select record_id, customer_key from resolution.customer_key_map").df()
            if _table_exists(con, "resolution", "customer_key_map")
            else None
        )
        previous_state = read_match_state(con) if not full_rematch else None
    result = resolve(matching_records, decisions=read_decisions(decisions_path), previous=previous_state)
    del matching_records, previous_state
    keys = assign_customer_keys(result.clusters, previous)
    clusters = result.clusters.merge(keys.record_keys, on="record_id")

    with duckdb.connect(str(warehouse), read_only=True) as con:
        records = con.execute(f"select * from {RECORDS_TABLE}").df()
        people = con.execute(f"select * from {PEOPLE_TABLE}").df()
        previous_people = (
            con.execute("select record_id, person_key from resolution.person_key_map").df()
            if _table_exists(con, "resolution", "person_key_map")
            else None
        )
    persons, person_keys = resolve_people(people, clusters[["record_id", "customer_key"]], previous_people)
    del people
    keyed_records = records.assign(record_id=record_ids(records)).merge(
        clusters[["record_id", "customer_key"]], on="record_id"
    )
    golden = golden_records(keyed_records)
    golden["record_count"] = golden["customer_key"].map(keyed_records.groupby("customer_key").size())
    golden["sources"] = golden["customer_key"].map(
        keyed_records[["customer_key", "source_entity"]].drop_duplicates().sort_values("source_entity")
        .groupby("customer_key")["source_entity"].agg(", ".join)
    )

    names = result.features.set_index("record_id")
    review = result.review_pairs(settings["match_threshold"]).copy()
    for side in ("l", "r"):
        ids = review[f"record_id_{side}"]
        review[f"name_{side}"] = names.loc[ids, "name_norm"].values if len(review) else []
        review[f"postcode_{side}"] = names.loc[ids, "postcode"].values if len(review) else []
        review[f"city_{side}"] = names.loc[ids, "city"].values if len(review) else []
    review = review.sort_values("match_probability", ascending=False).reset_index(drop=True)

    now = dt.datetime.now()
    record_keys = clusters.assign(resolved_at=now, run_id=run_id)[
        ["record_id", "source_entity", "record_key", "customer_key", "link_rule", "match_probability", "resolved_at", "run_id"]
    ]
    events = keys.events.assign(run_id=run_id, happened_at=now)
    person_events = person_keys.events.assign(run_id=run_id, happened_at=now)
    splink_score = baseline_score = person_score = None
    if truth_path is not None and truth_path.exists():
        splink_score, baseline_score = _score_against_truth(result.features, result.clusters, truth_path)
        people_truth = truth_path.with_name("people.csv")
        if people_truth.exists():
            labelled = persons.merge(pd.read_csv(people_truth, dtype=str), on=["source_entity", "record_key"])
            person_score = pairwise_scores(labelled["person_key"], labelled["true_person_id"])

    merged = clusters.merge(
        clusters.groupby("customer_key").size().rename("cluster_size"), left_on="customer_key", right_index=True
    )
    source_counts = per_source_counts(clusters)
    report = ResolutionReport(
        records=len(clusters),
        customers=int(clusters["customer_key"].nunique()),
        records_per_source=clusters["source_entity"].value_counts().sort_index().to_dict(),
        merged_records_per_source=merged[merged["cluster_size"] > 1]["source_entity"].value_counts().sort_index().to_dict(),
        duplicates_merged_per_source=dict(zip(source_counts["source_entity"], source_counts["duplicates_merged"].astype(int))),
        link_rules=clusters["link_rule"].value_counts().to_dict(),
        review_pairs=review,
        key_events=events["event"].value_counts().to_dict(),
        records_without_name=int(result.stats["records_without_name"]),
        person_records=len(persons),
        persons=int(persons["person_key"].nunique()),
        splink_score=splink_score,
        baseline_score=baseline_score,
        person_score=person_score,
        matching_mode=result.stats["mode"],
        matching_reason=result.stats["mode_reason"],
        records_rescored=int(result.stats["records_rescored"]),
    )
    run_row = pd.DataFrame(
        [
            {
                "run_id": run_id,
                "resolved_at": now,
                "records": report.records,
                "customers": report.customers,
                "review_pairs": len(review),
                "f1": splink_score.f1 if splink_score else None,
                "precision": splink_score.precision if splink_score else None,
                "recall": splink_score.recall if splink_score else None,
                "baseline_f1": baseline_score.f1 if baseline_score else None,
                "link_rules": json.dumps(report.link_rules),
                "matching_mode": report.matching_mode,
                "matching_reason": report.matching_reason,
                "records_rescored": report.records_rescored,
            }
        ]
    )
    source_rows = source_counts.assign(run_id=run_id, resolved_at=now)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("begin transaction")
        try:
            con.execute("create schema if not exists resolution")
            for name, frame in [
                ("record_customer_keys", record_keys),
                ("golden_customers", golden),
                ("review_pairs", review),
                ("person_keys", persons.assign(resolved_at=now, run_id=run_id)),
            ]:
                con.register("frame", frame)
                con.execute(f"create or replace table resolution.{name} as select * from frame")
                con.unregister("frame")
            con.register("frame", record_keys[["record_id", "customer_key", "resolved_at"]])
            con.execute("create or replace table resolution.customer_key_map as select * from frame")
            con.unregister("frame")
            con.register("frame", persons[["record_id", "person_key"]])
            con.execute("create or replace table resolution.person_key_map as select * from frame")
            con.unregister("frame")
            history = [
                ("customer_key_events", events),
                ("person_key_events", person_events),
                ("match_runs", run_row),
                ("match_run_sources", source_rows),
            ]
            write_match_state(con, result.state)
            for name, frame in history:
                con.execute(f"create table if not exists resolution.{name} ({HISTORY_DDL[name]})")
                add_missing_columns(con, f"resolution.{name}", HISTORY_DDL[name])
                con.register("frame", frame)
                con.execute(f"insert into resolution.{name} by name select * from frame")
                con.unregister("frame")
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return report
