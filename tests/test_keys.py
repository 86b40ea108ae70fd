import pandas as pd

from resolution.keys import assign_customer_keys


def clusters(mapping: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"record_id": list(mapping), "cluster_id": list(mapping.values())})


def test_first_run_numbers_every_cluster():
    result = assign_customer_keys(clusters({"a": "1", "b": "1", "c": "2"}), None)
    keys = dict(zip(result.record_keys.record_id, result.record_keys.customer_key))
    assert keys["a"] == keys["b"] != keys["c"]
    assert sorted(result.events["event"]) == ["new", "new"]


def test_keys_stay_when_new_records_join_and_cluster_ids_change():
    first = assign_customer_keys(clusters({"a": "1", "b": "1", "c": "2"}), None).record_keys
    second = assign_customer_keys(clusters({"a": "x", "b": "x", "new": "x", "c": "y", "d": "z"}), first)
    keys = dict(zip(second.record_keys.record_id, second.record_keys.customer_key))
    old = dict(zip(first.record_id, first.customer_key))
    assert keys["a"] == keys["b"] == keys["new"] == old["a"]
    assert keys["c"] == old["c"]
    assert keys["d"] not in old.values()
    assert list(second.events["event"]) == ["new"]


def test_merge_keeps_oldest_key_and_records_the_retired_one():
    first = assign_customer_keys(clusters({"a": "1", "b": "2"}), None).record_keys
    old = dict(zip(first.record_id, first.customer_key))
    second = assign_customer_keys(clusters({"a": "m", "b": "m"}), first)
    keys = set(second.record_keys.customer_key)
    assert keys == {min(old.values())}
    merge = second.events[second.events.event == "merge"].iloc[0]
    assert merge.customer_key == min(old.values()) and merge.other_key == max(old.values())


def test_split_keeps_key_for_larger_part():
    first = assign_customer_keys(clusters({"a": "1", "b": "1", "c": "1"}), None).record_keys
    key = first.customer_key.iloc[0]
    second = assign_customer_keys(clusters({"a": "p", "b": "p", "c": "q"}), first)
    keys = dict(zip(second.record_keys.record_id, second.record_keys.customer_key))
    assert keys["a"] == keys["b"] == key and keys["c"] != key
    split = second.events[second.events.event == "split"].iloc[0]
    assert split.customer_key == key and split.other_key == keys["c"]
