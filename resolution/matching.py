"""Company matching: deterministic evidence first, then Splink (DuckDB backend) on names,
addresses, phone and domain, trained without labels; clusters by connected components.

Input: one row per company-bearing source record with the columns in INPUT_COLUMNS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.clustering import cluster_pairwise_predictions_at_threshold
from splink.internals.exceptions import EMTrainingException

from . import normalise as n
from .frames import per_distinct_value, query

INPUT_COLUMNS = [
    "source_entity", "record_key", "company_name", "street", "postcode", "city", "country",
    "vat_id", "debtor_no", "email_domain", "phone",
]
ERP_MASTER = "erp_customers"
log = logging.getLogger(__name__)


@dataclass
class Decision:
    record_id_l: str
    record_id_r: str
    decision: str  # "match" or "no_match"


@dataclass
class MatchResult:
    clusters: pd.DataFrame  # record_id, source_entity, record_key, cluster_id, link_rule, match_probability
    pairs: pd.DataFrame  # every scored pair at or above the review threshold, with the rule
    features: pd.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)
    state: "MatchState | None" = None  # stored for the next run's incremental matching

    def review_pairs(self, match_threshold: float) -> pd.DataFrame:
        probabilistic = self.pairs[self.pairs["rule"] == "splink"]
        return probabilistic[probabilistic["match_probability"] < match_threshold]


def _cached(function, values: pd.Series, *args) -> pd.Series:
    """Normalise each distinct value once (sources repeat the same spellings a lot)."""
    if args:
        keys = list(zip(values, *args))
        cache = {k: function(*k) for k in dict.fromkeys(keys)}
        return pd.Series([cache[k] for k in keys], index=values.index, dtype=object)
    return per_distinct_value(function, values)


def prepare_features(records: pd.DataFrame) -> pd.DataFrame:
    """Normalised matching features, one row per source record."""
    missing = [c for c in INPUT_COLUMNS if c not in records]
    if missing:
        raise ValueError(f"company records lack columns {missing}")
    frame = records[INPUT_COLUMNS].astype(object)
    frame = frame.where(frame.notna(), None)  # one copy at a time: 1.7 million records at L
    features = pd.DataFrame(index=frame.index)
    features["record_id"] = record_ids(frame)
    features["source_entity"] = frame["source_entity"]
    features["record_key"] = frame["record_key"].astype(str)
    features["country"] = _cached(n.country, frame["country"]).fillna("DE")
    features["name_norm"] = _cached(n.company_name, frame["company_name"])
    features["name_loose"] = _cached(n.loose_name, features["name_norm"])
    streets = _cached(n.street, frame["street"])
    features["street_name"] = streets.map(lambda s: s[0] if isinstance(s, tuple) else None)
    features["house_number"] = streets.map(lambda s: s[1] if isinstance(s, tuple) else None)
    # Leading zeros are dropped for matching: a sheet without a country column pads an
    # Austrian "8700" to "08700", and Excel drops the zero of a German "01067".
    features["postcode"] = _cached(n.postcode, frame["postcode"], features["country"]).map(
        lambda v: v.lstrip("0") if isinstance(v, str) else None
    )
    features["city"] = _cached(n.fold, frame["city"])
    features["vat_id"] = _cached(n.vat_id, frame["vat_id"])
    features["phone"] = _cached(n.phone_e164, frame["phone"], features["country"])
    features["domain"] = _cached(n.company_domain, frame["email_domain"])
    debtor = frame["debtor_no"].map(lambda v: str(v).strip() if v is not None and str(v).strip() else None)
    features["debtor_no"] = debtor
    features["is_erp_master"] = frame["source_entity"].eq(ERP_MASTER)
    features["fingerprint"] = record_fingerprints(records)
    return with_name_tokens(features.reset_index(drop=True))


def record_ids(records: pd.DataFrame) -> pd.Series:
    """'<source_entity>|<record_key>': a record's id across sources (steward decisions use it too)."""
    return records["source_entity"] + "|" + records["record_key"].astype(str)


def with_name_tokens(features: pd.DataFrame) -> pd.DataFrame:
    """The name's tokens (for the shared-token levels) and its first token (for blocking)."""
    tokens = features["name_norm"].map(lambda v: [t for t in v.split(" ") if len(t) > 1] if isinstance(v, str) else None)
    return features.assign(name_tokens=tokens, name_first_token=tokens.map(lambda t: t[0] if t else None))


def record_fingerprints(records: pd.DataFrame) -> pd.Series:
    """A hash of the record's matching inputs: an unchanged fingerprint means unchanged
    features, so the next run can reuse them and the pairs scored from them."""
    text = records[INPUT_COLUMNS].astype("string").fillna("\x00")
    return pd.util.hash_pandas_object(text, index=False).astype("int64").to_numpy()


def deterministic_pairs(features: pd.DataFrame) -> pd.DataFrame:
    """Evidence that needs no model: same VAT ID; a debtor number recorded in another source
    that names an ERP customer; same company e-mail/web domain and postcode."""
    return query(
        """
        with rules as (
            select l.record_id as record_id_l, r.record_id as record_id_r, 'same_vat_id' as rule
            from f l join f r on l.vat_id = r.vat_id and l.record_id < r.record_id
            union all
            select l.record_id, r.record_id, 'erp_debtor_no'
            from f l join f r on l.is_erp_master and not r.is_erp_master
                 and r.debtor_no = l.record_key
            union all
            select l.record_id, r.record_id, 'domain_and_postcode'
            from f l join f r on l.domain = r.domain and l.postcode = r.postcode
                 and l.record_id < r.record_id
        )
        select least(record_id_l, record_id_r) as record_id_l,
               greatest(record_id_l, record_id_r) as record_id_r,
               min(rule) as rule
        from rules group by all
        """,
        f=features.drop(columns=["name_tokens"]),
    )


def splink_db_api() -> DuckDBAPI:
    """Splink's DuckDB, with a memory limit: beyond it DuckDB spills to disk instead of
    growing with the square of a blocking rule (resolution/config.yaml). Callers close it
    as soon as the results are in pandas: its tables otherwise stay in memory until garbage
    collection, under everything that follows (0.7 GB at M)."""
    limit = n.config()["matching"]["duckdb_memory_limit"]
    spill = Path(tempfile.gettempdir()) / "smartdata-splink"
    connection = duckdb.connect(config={"memory_limit": limit, "temp_directory": str(spill)})
    return DuckDBAPI(connection)


def _same_domain_pairs(features: pd.DataFrame) -> pd.DataFrame:
    return query(
        "select l.record_id as record_id_l, r.record_id as record_id_r from f l join f r "
        "on l.domain = r.domain and l.record_id < r.record_id",
        f=features[["record_id", "domain"]],
    )


def _settings(blocking_rules: list[list[str]]) -> SettingsCreator:
    name = cl.CustomComparison(
        output_column_name="name_norm",
        comparison_description="Normalised company name",
        comparison_levels=[
            cll.NullLevel("name_norm"),
            cll.ExactMatchLevel("name_norm", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("name_norm", 0.95),
            cll.JaroWinklerLevel("name_norm", 0.88),
            cll.ArrayIntersectLevel("name_tokens", min_intersection=2),
            cll.ArrayIntersectLevel("name_tokens", min_intersection=1),
            cll.ElseLevel(),
        ],
    )
    # Postcode and city are one piece of evidence (the city follows from the postcode), so
    # they form one comparison; as two they would count the same fact twice.
    location = cl.CustomComparison(
        output_column_name="location",
        comparison_description="Postcode and city",
        comparison_levels=[
            cll.And(cll.NullLevel("postcode"), cll.NullLevel("city")),
            cll.ExactMatchLevel("postcode", term_frequency_adjustments=True),
            cll.And(
                cll.CustomLevel("substr(postcode_l, 1, 3) = substr(postcode_r, 1, 3)"),
                cll.JaroWinklerLevel("city", 0.92),
            ).configure(label_for_charts="Same postcode area and city"),
            cll.JaroWinklerLevel("city", 0.92),
            cll.ElseLevel(),
        ],
    )
    street = cl.CustomComparison(
        output_column_name="street_name",
        comparison_description="Street and house number",
        comparison_levels=[
            cll.NullLevel("street_name"),
            cll.And(cll.ExactMatchLevel("street_name"), cll.ExactMatchLevel("house_number")),
            cll.And(cll.JaroWinklerLevel("street_name", 0.9), cll.ExactMatchLevel("house_number")),
            cll.JaroWinklerLevel("street_name", 0.9),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            name,
            location,
            street,
            cl.ExactMatch("phone"),
            cl.ExactMatch("domain"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*columns) for columns in blocking_rules],
        retain_intermediate_calculation_columns=False,
        max_iterations=10,
        additional_columns_to_retain=["source_entity", "record_key"],
    )


def splink_pairs(
    features: pd.DataFrame, labels: pd.DataFrame, review_threshold: float, config: dict[str, Any]
) -> tuple[pd.DataFrame, dict]:
    """Scored candidate pairs from a Splink model trained without ground truth: u by random
    sampling; m from pairs the data itself vouches for (deterministic rules, shared company
    domain), refined by EM where EM converges."""
    db_api = splink_db_api()
    table = db_api.register(features, dataset_display_name="company_records")
    linker = Linker(table, _settings(config["blocking_rules"]), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("vat_id"), block_on("domain", "postcode")], recall=config["deterministic_recall"]
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=config["max_pairs_for_u_estimation"], seed=config["seed"])
    # m from pairs that need no model: what the deterministic rules found plus records that
    # share a company domain. Names, addresses and phones of one company differ in these
    # pairs the way they differ in the true matches (EM blocked on postcode would instead
    # learn "same industrial estate", where many different companies share a postcode).
    same_domain = _same_domain_pairs(features)
    training_pairs = pd.concat([labels[["record_id_l", "record_id_r"]], same_domain]).drop_duplicates()
    if len(training_pairs):
        linker.table_management.register_table(training_pairs, "training_pairs", overwrite=True)
        linker.training.estimate_m_from_pairwise_labels("training_pairs")
    # EM then refines the address, phone and domain levels among records of the same name.
    # On small or very clean data EM can drive a level's m to exactly 0, which Splink
    # rejects; the estimate from the pairs above then stays.
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_norm"), fix_u_probabilities=True)
    except (ValueError, EMTrainingException) as exc:
        log.warning("EM session on name_norm skipped: %s", exc)
    model = floor_m_probabilities(linker.misc.save_model_to_json(), config["m_probability_floor"])
    # With no deterministic match at all the prior is estimated as 0; assume one match per record.
    model["probability_two_random_records_match"] = max(
        model.get("probability_two_random_records_match") or 0.0, 1.0 / max(len(features), 2) ** 2
    )
    linker = Linker(table, model, log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=review_threshold)
    pairs = predictions.as_pandas_dataframe()[["record_id_l", "record_id_r", "match_probability", "match_weight"]]
    db_api.duckdb_con.close()  # see splink_db_api
    return pairs, model


@dataclass
class MatchState:
    """What a run leaves for the next one: per record its features (with the fingerprint of
    its inputs), the pairs Splink scored at or above the review threshold, and the model."""

    features: pd.DataFrame
    pairs: pd.DataFrame  # record_id_l, record_id_r, match_probability, match_weight
    model: dict[str, Any]
    trained_at: Any  # datetime of the run that trained the model
    settings_fingerprint: str


@dataclass(frozen=True)
class MatchPlan:
    mode: str  # "full" (train and score every pair) or "incremental"
    reason: str
    changed: frozenset[str] = frozenset()  # record ids new or with changed inputs
    removed: frozenset[str] = frozenset()  # record ids gone since the last run


def settings_fingerprint(config: dict[str, Any]) -> str:
    """Changing normalisation or matching settings invalidates stored features and scores."""
    return hashlib.sha256(json.dumps([n.config(), config], sort_keys=True, default=str).encode()).hexdigest()[:16]


def plan_matching(
    records: pd.DataFrame, previous: MatchState | None, config: dict[str, Any], now: Any
) -> MatchPlan:
    """Incremental when a recent model exists for the same settings and few records changed:
    only pairs involving a new or changed record are scored again. Otherwise, and every
    `full_rematch_days` (term frequencies and m/u drift as the data grows), train and score
    everything."""
    if previous is None:
        return MatchPlan("full", "first run (no stored model)")
    if previous.settings_fingerprint != settings_fingerprint(config):
        return MatchPlan("full", "matching or normalisation settings changed")
    if now - previous.trained_at >= dt.timedelta(days=config["full_rematch_days"]):
        return MatchPlan("full", f"periodic full re-match (every {config['full_rematch_days']} days)")
    ids = record_ids(records)
    current = pd.Series(record_fingerprints(records), index=ids.to_numpy())
    stored = previous.features.set_index("record_id")["fingerprint"]
    known = current.index.isin(stored.index)
    changed = set(current.index[~known])
    same_index = current.index[known]
    changed |= set(same_index[current[same_index].to_numpy() != stored.loc[same_index].to_numpy()])
    removed = set(stored.index.difference(current.index))
    share = (len(changed) + len(removed)) / max(len(current), 1)
    if share > config["incremental_max_changed_share"]:
        return MatchPlan("full", f"{share:.1%} of records changed (incremental up to "
                                 f"{config['incremental_max_changed_share']:.0%})")
    return MatchPlan("incremental", f"{len(changed)} new or changed, {len(removed)} removed records",
                     frozenset(changed), frozenset(removed))


def incremental_features(records: pd.DataFrame, previous: MatchState, plan: MatchPlan) -> pd.DataFrame:
    """Stored features for unchanged records, fresh ones for new and changed records."""
    ids = record_ids(records)
    fresh = prepare_features(records[ids.isin(plan.changed).to_numpy()]) if plan.changed else None
    kept = previous.features[~previous.features["record_id"].isin(plan.changed | plan.removed)]
    features = with_name_tokens(kept.drop(columns=["name_tokens", "name_first_token"], errors="ignore"))
    if fresh is not None and len(fresh):
        features = pd.concat([features, fresh[features.columns]], ignore_index=True)
    # the order of the records as read, as a full run would have it
    order = pd.Series(range(len(ids)), index=ids.to_numpy())
    return features.iloc[order.loc[features["record_id"]].argsort(kind="stable")].reset_index(drop=True)


def score_changed_pairs(
    features: pd.DataFrame, changed: frozenset[str], model: dict[str, Any], review_threshold: float,
    blocking_rules: list[list[str]],
) -> pd.DataFrame:
    """Splink pairs involving at least one changed record, scored with the stored model over
    the current records (term frequencies from today's data). The blocking joins run over
    all records, but only pairs with a changed side are compared and scored."""
    if not changed:
        return pd.DataFrame(columns=["record_id_l", "record_id_r", "match_probability", "match_weight"])
    frame = features.assign(is_changed=features["record_id"].isin(changed))
    model = {**model, "blocking_rules_to_generate_predictions": [
        " and ".join(f'l."{c}" = r."{c}"' for c in columns) + " and (l.is_changed or r.is_changed)"
        for columns in blocking_rules
    ]}
    db_api = splink_db_api()
    linker = Linker(db_api.register(frame, dataset_display_name="company_records"), model, log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=review_threshold)
    pairs = predictions.as_pandas_dataframe()[["record_id_l", "record_id_r", "match_probability", "match_weight"]]
    db_api.duckdb_con.close()  # see splink_db_api
    return pairs


def floor_m_probabilities(model: dict[str, Any], floor: float) -> dict[str, Any]:
    """No agreement level is impossible for a true match: EM on clean demo data can learn
    m = 0 for "street differs" or leave a level untrained, which would veto or ignore real
    matches. Give every level at least `floor` and renormalise."""
    for comparison in model["comparisons"]:
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        for level in levels:
            level["m_probability"] = max(level.get("m_probability") or 0.0, floor)
            level["u_probability"] = max(level.get("u_probability") or 0.0, 1e-6)
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total
    return model


def resolve(
    records: pd.DataFrame,
    *,
    decisions: list[Decision] | None = None,
    config: dict[str, Any] | None = None,
    previous: MatchState | None = None,
    now: dt.datetime | None = None,
) -> MatchResult:
    """Cluster company records: every record gets a cluster, a record matching nothing is
    its own cluster. With the previous run's state, only new and changed records are
    normalised and scored (see plan_matching)."""
    config = {**n.config()["matching"], **(config or {})}
    now = now or dt.datetime.now()
    ids = record_ids(records)
    if ids.duplicated().any():
        raise ValueError(f"record ids are not unique, e.g. {ids[ids.duplicated()].head(5).tolist()}")
    plan = plan_matching(records, previous, config, now) if len(records) >= 10 else MatchPlan("full", "too few records")
    if plan.mode == "incremental" and previous is not None:
        features = incremental_features(records, previous, plan)
    else:
        features = prepare_features(records)
    stats: dict[str, Any] = {"records": len(features), "mode": plan.mode, "mode_reason": plan.reason,
                             "records_rescored": len(plan.changed) if plan.mode == "incremental" else len(features)}

    rule_pairs = deterministic_pairs(features).assign(match_probability=1.0, match_weight=None)
    empty = pd.DataFrame(columns=["record_id_l", "record_id_r", "match_probability", "match_weight"])
    if plan.mode == "incremental" and previous is not None:
        gone = plan.changed | plan.removed
        kept = previous.pairs[~previous.pairs["record_id_l"].isin(gone) & ~previous.pairs["record_id_r"].isin(gone)]
        fresh = score_changed_pairs(features, plan.changed, previous.model, config["review_threshold"], config["blocking_rules"])
        scored = pd.concat([df for df in (kept, fresh) if len(df)] or [empty], ignore_index=True)
        model, trained_at = previous.model, previous.trained_at
    elif len(features) >= 10:
        scored, model = splink_pairs(features, rule_pairs, config["review_threshold"], config)
        trained_at = now
    else:  # too few records to train a model; deterministic evidence only
        scored, model, trained_at = empty, None, None
    scored = scored.assign(rule="splink")
    # the features themselves, not a copy (the token columns are left out when stored)
    state = MatchState(features, scored.drop(columns=["rule"]), model, trained_at,
                       settings_fingerprint(config)) if model is not None else None
    pairs = pd.concat([df for df in (rule_pairs, scored) if len(df)] or [scored], ignore_index=True)
    pairs = pairs.sort_values("match_probability", ascending=False).drop_duplicates(["record_id_l", "record_id_r"])

    forced = pd.DataFrame(
        [(min(d.record_id_l, d.record_id_r), max(d.record_id_l, d.record_id_r), d.decision) for d in decisions or []],
        columns=["record_id_l", "record_id_r", "decision"],
    )
    pairs = pairs.merge(forced, on=["record_id_l", "record_id_r"], how="outer")
    pairs.loc[pairs["decision"] == "match", ["match_probability", "rule"]] = [1.0, "steward_match"]
    pairs.loc[pairs["decision"] == "no_match", ["match_probability", "rule"]] = [0.0, "steward_no_match"]
    pairs = pairs.drop(columns=["decision"]).reset_index(drop=True)

    edges = pairs[pairs["match_probability"] >= config["match_threshold"]]
    db_api = splink_db_api()
    clustered = cluster_pairwise_predictions_at_threshold(
        nodes=features[["record_id"]],
        edges=edges[["record_id_l", "record_id_r"]],
        db_api=db_api,
        node_id_column_name="record_id",
    ).as_pandas_dataframe()
    db_api.duckdb_con.close()  # see splink_db_api
    clusters = features[["record_id", "source_entity", "record_key"]].merge(
        clustered[["record_id", "cluster_id"]], on="record_id", how="left"
    )
    # How each record joined its cluster: its strongest accepted edge.
    best = pd.concat(
        [
            edges[["record_id_l", "rule", "match_probability"]].rename(columns={"record_id_l": "record_id"}),
            edges[["record_id_r", "rule", "match_probability"]].rename(columns={"record_id_r": "record_id"}),
        ]
    ).sort_values("match_probability", ascending=False).drop_duplicates("record_id")
    clusters = clusters.merge(best, on="record_id", how="left")
    clusters["rule"] = clusters["rule"].fillna("no_match_own_record")
    clusters = clusters.rename(columns={"rule": "link_rule"})
    clusters = attach_addressless_records(clusters, features, forced)
    stats.update(
        clusters=int(clusters["cluster_id"].nunique()),
        deterministic_pairs=int(len(rule_pairs)),
        splink_pairs_above_match=int(((pairs["rule"] == "splink") & (pairs["match_probability"] >= config["match_threshold"])).sum()),
        review_pairs=int(((pairs["rule"] == "splink") & (pairs["match_probability"] < config["match_threshold"])).sum()),
        records_without_name=int(features["name_norm"].isna().sum()),
    )
    result = MatchResult(clusters=clusters, pairs=pairs, features=features, stats=stats, state=state)
    result.stats["model"] = model
    return result


ADDRESS_EVIDENCE = ["postcode", "street_name", "city", "phone", "domain", "vat_id", "debtor_no"]


def attach_addressless_records(clusters: pd.DataFrame, features: pd.DataFrame, forced: pd.DataFrame) -> pd.DataFrame:
    """A record with a name and nothing else (a service visit without customer number) is
    linked when exactly one cluster carries that name: a pairwise model cannot see that
    there is only one candidate. Two companies of the same name leave it alone (and on the
    steward's list)."""
    frame = clusters.merge(features[["record_id", "name_loose", *ADDRESS_EVIDENCE]], on="record_id")
    size = frame.groupby("cluster_id")["record_id"].transform("size")
    orphan = (size == 1) & frame[ADDRESS_EVIDENCE].isna().all(axis=1) & frame["name_loose"].notna()
    anchored = frame.loc[~orphan & frame["name_loose"].notna(), ["name_loose", "cluster_id"]].drop_duplicates()
    clusters_per_name = anchored["name_loose"].value_counts()
    unique = anchored[anchored["name_loose"].map(clusters_per_name) == 1].set_index("name_loose")["cluster_id"]
    blocked = set(zip(forced.loc[forced["decision"] == "no_match", "record_id_l"], forced.loc[forced["decision"] == "no_match", "record_id_r"]))
    clusters = clusters.set_index("record_id")
    members = clusters.reset_index().groupby("cluster_id")["record_id"].agg(set) if blocked else {}
    cluster_of_name = unique.to_dict()
    attached_records, attached_clusters = [], []
    for record, name in zip(frame.loc[orphan, "record_id"], frame.loc[orphan, "name_loose"]):
        if name not in cluster_of_name:
            continue
        cluster = cluster_of_name[name]
        if blocked and any((min(record, o), max(record, o)) in blocked for o in members.get(cluster, ())):
            continue
        attached_records.append(record)
        attached_clusters.append(cluster)
    # one assignment for all: .loc per record was most of this step's time
    if attached_records:
        clusters.loc[attached_records, "cluster_id"] = attached_clusters
        clusters.loc[attached_records, "link_rule"] = "unique_name_no_address"
        clusters.loc[attached_records, "match_probability"] = None
    return clusters.reset_index()


def exact_baseline(features: pd.DataFrame) -> pd.DataFrame:
    """The naive approach: same normalised name and postcode, nothing else."""
    key = features["name_norm"].fillna("") + "|" + features["postcode"].fillna("")
    has_key = features["name_norm"].notna() & features["postcode"].notna()
    cluster = key.where(has_key, features["record_id"])
    return pd.DataFrame({"record_id": features["record_id"], "cluster_id": cluster})
