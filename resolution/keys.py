"""Stable customer keys across nightly runs.

A cluster keeps the key its records had yesterday. When records that had different keys
now form one cluster (a merge), the oldest key survives and the others are retired into
it; when yesterday's cluster splits, the largest part keeps the key and the rest get new
keys. Every merge, split and new key is an event in the key history."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

KEY_PREFIX = "CUST-"


def _key(number: int, prefix: str = KEY_PREFIX) -> str:
    return f"{prefix}{number:07d}"


def _number(key: str) -> int:
    return int(key.split("-", 1)[1])


@dataclass
class KeyAssignment:
    record_keys: pd.DataFrame  # record_id, customer_key
    events: pd.DataFrame  # event, customer_key, other_key, records


def assign_customer_keys(
    clusters: pd.DataFrame, previous: pd.DataFrame | None, prefix: str = KEY_PREFIX
) -> KeyAssignment:
    """clusters: record_id, cluster_id. previous: record_id, customer_key (yesterday's map).
    The same rules serve person keys (prefix PERS-)."""
    previous = previous if previous is not None else pd.DataFrame(columns=["record_id", "customer_key"])
    frame = clusters[["record_id", "cluster_id"]].merge(previous[["record_id", "customer_key"]], on="record_id", how="left")
    next_number = max((_number(k) for k in previous["customer_key"].dropna().unique()), default=0) + 1
    events: list[dict[str, object]] = []

    # For each old key, which cluster holds most of its records: that cluster inherits it.
    votes = (
        frame.dropna(subset=["customer_key"])
        .groupby(["customer_key", "cluster_id"]).size().rename("records").reset_index()
        .sort_values(["customer_key", "records", "cluster_id"], ascending=[True, False, True])
    )
    heir_of_key = votes.drop_duplicates("customer_key").set_index("customer_key")["cluster_id"]
    # every cluster but the heir of an old key is a part split off from it
    split_off = votes[votes.duplicated("customer_key")]
    for key, cluster, records in zip(split_off["customer_key"], split_off["cluster_id"], split_off["records"]):
        events.append({"event": "split", "customer_key": key, "other_cluster": cluster, "records": int(records)})

    keys_by_cluster: dict[object, list[str]] = {}
    for key, cluster in heir_of_key.items():
        keys_by_cluster.setdefault(cluster, []).append(key)

    assigned: dict[object, str] = {}
    sizes = frame.groupby("cluster_id").size().to_dict()
    for cluster in sorted(frame["cluster_id"].unique(), key=str):
        candidates = sorted(keys_by_cluster.get(cluster, []), key=_number)
        if candidates:
            survivor = candidates[0]
            for retired in candidates[1:]:
                events.append({"event": "merge", "customer_key": survivor, "other_key": retired, "records": None})
        else:
            survivor = _key(next_number, prefix)
            next_number += 1
            events.append({"event": "new", "customer_key": survivor, "other_key": None, "records": int(sizes[cluster])})
        assigned[cluster] = survivor

    record_keys = frame[["record_id", "cluster_id"]].assign(customer_key=frame["cluster_id"].map(assigned))
    # split events learn the new key of the part that left
    for event in events:
        if event["event"] == "split":
            event["other_key"] = assigned[event.pop("other_cluster")]
    events_frame = pd.DataFrame(events, columns=["event", "customer_key", "other_key", "records"])
    return KeyAssignment(record_keys=record_keys[["record_id", "customer_key"]], events=events_frame)
