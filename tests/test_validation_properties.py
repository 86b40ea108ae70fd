"""Property-based: whatever a source throws at a contract, validation never crashes, no row
is lost, and every quarantined row says why."""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality.validate import validate
from sources.registry import load_registry

REGISTRY = load_registry()
FILE_ENTITIES = [e for e in REGISTRY.entities.values() if REGISTRY.system_of(e).kind != "sql"]

nasty_text = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=30),
    st.sampled_from(["1.234,56 €", "n/a", "31.12.2024", "2099-01-01", "00.00.0000", "ABCDE", "Müller\x00", "\ufffd\ufffd", "DROP TABLE x;", "9" * 400]),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    # wrong types (a reader or a hand-made frame that did not keep text) and broken encodings
    st.integers(min_value=-10**18, max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.booleans(),
    st.binary(max_size=8),
    st.sampled_from(["MÃ¼ller GmbH", "StraÃŸe 5", "caf\xe9", "\udcff", "+49 (0) 30 1234-5", "DE12345678901234", "CHE-1"]),
)


@st.composite
def raw_frames(draw):
    entity = draw(st.sampled_from(FILE_ENTITIES))
    rows = draw(st.integers(min_value=0, max_value=25))
    data = {column: [draw(nasty_text) for _ in range(rows)] for column in entity.columns}
    frame = pd.DataFrame(data, dtype=object)
    frame["_record_key"] = [f"k{i}" for i in range(rows)]
    frame["_source_file"] = "generated.xlsx"
    frame["_source_sheet"] = "Sheet1"
    frame["_source_row"] = pd.array(range(2, rows + 2), dtype="Int64")
    frame["_extra_columns"] = None
    return entity, frame


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_frames())
def test_validation_never_crashes_and_loses_nothing(case):
    entity, frame = case
    result = validate(frame, entity.contract)
    assert result.rows_read == len(frame)
    assert set(result.accepted["_record_key"]).isdisjoint(result.quarantined["_record_key"])
    assert set(result.accepted["_record_key"]) | set(result.quarantined["_record_key"]) == set(frame["_record_key"])
    for row in result.quarantined.to_dict("records"):
        assert row["_rules"] and row["_reason"]
        violations = json.loads(row["_violations"])
        assert violations and all(v["rule"] for v in violations)
    # a required value that is missing always quarantines the row
    for column in entity.required:
        missing = frame.loc[frame[column].isna(), "_record_key"]
        assert set(missing) <= set(result.quarantined["_record_key"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-10**9, 10**9).map(float)), max_size=30))
def test_erp_amounts_of_any_value(amounts):
    frame = pd.DataFrame(
        {
            "_record_key": [f"I{i}" for i in range(len(amounts))],
            "_source_file": "invoice",
            "invoice_no": [f"I{i}" for i in range(len(amounts))],
            "doc_type": "INV",
            "debtor_no": "100001",
            "invoice_date": "2025-01-01",
            "net_amount": pd.Series(amounts, dtype="float64"),
        }
    )
    result = validate(frame, "ErpInvoice")
    assert result.rows_read == len(frame)
    bad = frame["net_amount"].isna() | (frame["net_amount"] < 0)
    assert set(result.quarantined["_record_key"]) == set(frame.loc[bad, "_record_key"])
