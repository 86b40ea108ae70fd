"""The README's example queries, run verbatim on freshly generated data: every number they
show is one the generator planted (sources/demo writes it to _truth/planted_facts.json)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("pipeline")

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_examples() -> dict[str, str]:
    blocks = re.findall(r"```sql\n-- example: (\w+)\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    return {name: sql for name, sql in blocks}


def rows(run, name: str) -> list[tuple]:
    _, con, *_ = run
    return con.execute(readme_examples()[name]).fetchall()


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_the_readme_has_the_examples_this_file_checks():
    assert set(readme_examples()) == {
        "key_account_is_a_c_customer", "score_components", "hidden_champion", "black_holes_by_channel",
        "one_customer_many_spellings", "over_contacted", "monthly_net_revenue",
    }


def test_key_account_is_a_c_customer(run):
    facts = run[2]["revenue_a_value_c"]
    assert [(name, money(revenue), rc, vc) for name, revenue, rc, vc in rows(run, "key_account_is_a_c_customer")] == [
        (facts["legal_name"], money(facts["revenue_12m"]), "A", "C")
    ]


def test_score_components_add_up_and_carry_the_planted_values(run):
    _, con, facts, *_ = run
    components = {label: (raw, points) for label, raw, _score, _weight, points in rows(run, "score_components")}
    (total,) = con.execute(
        "select total_score from mart.customer_value where revenue_class = 'A' and value_class = 'C'"
    ).fetchone()
    assert abs(sum(Decimal(str(points)) for _, points in components.values()) - Decimal(str(total))) <= Decimal("0.1")
    planted = facts["revenue_a_value_c"]
    assert money(components["Revenue"][0]) == money(planted["revenue_12m"])
    assert money(components["Gross margin"][0]) == money(planted["gross_margin_12m"])


def test_hidden_champion(run):
    facts = run[2]["hidden_champion"]
    [(name, revenue_class, value_class, referred)] = rows(run, "hidden_champion")
    assert (name, revenue_class) == (facts["legal_name"], "C") and value_class in facts["expected"]["value_class"]
    assert referred == len(facts["referrals"])


def test_black_holes_by_channel_add_up_to_the_planted_total(run):
    facts = run[2]
    assert sum(black_holes for _, _, black_holes in rows(run, "black_holes_by_channel")) == facts["black_hole_leads_total"]


def test_one_customer_many_spellings(run):
    facts = run[2]["five_spellings"]
    assert rows(run, "one_customer_many_spellings") == [
        (facts["legal_name"], len(facts["sources"]), len(facts["distinct_spellings"]))
    ]


def test_over_contacted(run):
    facts = run[2]["over_contacted"]
    found = rows(run, "over_contacted")
    assert facts["crm_record_id"] in {crm_id for _, crm_id, _ in found}


def test_monthly_net_revenue(run):
    facts = run[2]["monthly_revenue"]
    latest = sorted(facts.items())[-3:][::-1]
    assert [(month, money(value)) for month, value in rows(run, "monthly_net_revenue")] == [
        (month, money(value)) for month, value in latest
    ]
