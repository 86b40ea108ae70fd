"""Person matching: the people behind CRM contacts, trade-fair contacts, the Christmas-card
list and the field-sales sheets, linked to their customer.

People are compared only within one customer (their company's cluster), which keeps the
rules simple and safe: the same e-mail address anywhere, or within the customer the same
last name (Jaro-Winkler >= 0.92 for typos) with a compatible first name (equal, same
initial, or missing)."""

from __future__ import annotations

import pandas as pd
from splink.clustering import cluster_pairwise_predictions_at_threshold

from . import normalise as n
from .frames import per_distinct_value, query
from .keys import KeyAssignment, assign_customer_keys
from .matching import record_ids, splink_db_api

PERSON_PREFIX = "PERS-"


def prepare_people(people: pd.DataFrame, company_keys: pd.DataFrame) -> pd.DataFrame:
    """people: int_person_records; company_keys: record_id, customer_key."""
    frame = people.copy()
    frame["record_id"] = record_ids(frame)
    frame = frame.merge(
        company_keys.rename(columns={"record_id": "company_record_id"}), on="company_record_id", how="left"
    )
    frame["last"] = per_distinct_value(lambda v: (n.fold(v) or "").replace(" ", "") or None, frame["last_name"])
    frame["first"] = per_distinct_value(lambda v: (n.fold(v) or "").split(" ")[0].rstrip(".") or None, frame["first_name"])
    frame["email_norm"] = per_distinct_value(n.email, frame["email"])
    return frame


def match_people(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs of person records that are the same person, with the rule."""
    pairs = query(
        """
        select l.record_id as record_id_l, r.record_id as record_id_r, 'same_email' as rule
        from p l join p r on l.email_norm = r.email_norm and l.record_id < r.record_id
        union all
        select l.record_id, r.record_id, 'same_name_in_customer'
        from p l join p r
          on l.customer_key = r.customer_key and l.record_id < r.record_id
         and jaro_winkler_similarity(l.last, r.last) >= 0.92
         and (l.first is null or r.first is null or l.first = r.first
              or (left(l.first, 1) = left(r.first, 1) and (length(l.first) = 1 or length(r.first) = 1)))
        """,
        p=frame[["record_id", "customer_key", "last", "first", "email_norm"]],
    )
    return pairs.drop_duplicates(["record_id_l", "record_id_r"])


def resolve_people(
    people: pd.DataFrame, company_keys: pd.DataFrame, previous: pd.DataFrame | None
) -> tuple[pd.DataFrame, KeyAssignment]:
    """Every person record gets a stable person key and its customer key."""
    frame = prepare_people(people, company_keys)
    pairs = match_people(frame)
    db_api = splink_db_api()
    clustered = cluster_pairwise_predictions_at_threshold(
        nodes=frame[["record_id"]],
        edges=pairs[["record_id_l", "record_id_r"]],
        db_api=db_api,
        node_id_column_name="record_id",
    ).as_pandas_dataframe()[["record_id", "cluster_id"]]
    db_api.duckdb_con.close()  # see matching.splink_db_api
    previous_map = previous.rename(columns={"person_key": "customer_key"}) if previous is not None else None
    keys = assign_customer_keys(clustered, previous_map, prefix=PERSON_PREFIX)
    rules = pd.concat(
        [pairs[["record_id_l", "rule"]].rename(columns={"record_id_l": "record_id"}),
         pairs[["record_id_r", "rule"]].rename(columns={"record_id_r": "record_id"})]
    ).drop_duplicates("record_id")
    result = (
        frame[["record_id", "source_entity", "record_key", "customer_key"]]
        .merge(keys.record_keys.rename(columns={"customer_key": "person_key"}), on="record_id")
        .merge(rules, on="record_id", how="left")
        .rename(columns={"rule": "link_rule"})
    )
    result["link_rule"] = result["link_rule"].fillna("no_match_own_record")
    return result, keys
