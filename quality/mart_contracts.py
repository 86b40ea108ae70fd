"""Pandera contracts for every mart table: the interface BI tools and stewards rely on.

dbt tests guard each model while it builds; these contracts check the finished tables as a
consumer would: the columns BI reads exist with usable types, keys are unique, values lie in
their ranges, and cross-field rules hold (last order not before first, shares add up, no
contact on the mailing list without postal consent). Check names are rules in
quality/rules.yaml (severity and message). The asset checks built from them in
orchestration/quality_checks.py are blocking: a broken mart is not published.
"""

from __future__ import annotations

from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import contracts
from .validate import ValidationResult, validate

LIFECYCLE_STATUSES = ["prospect", "active", "at_risk", "inactive", "lost"]
SEGMENTS = ["key_account", "standard", "small", "unclassified", "prospect"]
CONSENT_STATUSES = ["granted", "withdrawn", "unknown"]
ABC_CLASSES = ["A", "B", "C"]
FOLLOW_UP_STATUSES = ["not_handed_over", "pending", "within_sla", "late", "missing"]
CHANNEL_TYPES = ["personal", "digital", "indirect"]
VALUE_COMPONENTS = [
    "revenue", "gross_margin", "contribution", "cost_to_serve", "payment", "reference",
    "trend", "cross_sell", "repeat_purchase",
]


def Key() -> pa.Field:  # noqa: N802 - reads like a type in the models below
    return pa.Field(nullable=False, unique=True)


def Required() -> pa.Field:  # noqa: N802
    return pa.Field(nullable=False)


def Count() -> pa.Field:  # noqa: N802
    return pa.Field(nullable=False, ge=0, coerce=True)


def Share(nullable: bool = True) -> pa.Field:  # noqa: N802
    return pa.Field(nullable=nullable, ge=0, le=1, coerce=True)


def Score() -> pa.Field:  # noqa: N802
    return pa.Field(nullable=False, ge=0, le=100, coerce=True)


def OneOf(values: list[str], nullable: bool = False) -> pa.Field:  # noqa: N802
    return pa.Field(nullable=nullable, isin=values)


def _not_before(df: pd.DataFrame, earlier: str, later: str) -> pd.Series:
    first, last = pd.to_datetime(df[earlier]), pd.to_datetime(df[later])
    return first.isna() | last.isna() | (last >= first)


class MartContract(pa.DataFrameModel):
    class Config:
        strict = False  # new columns are additions, not breaks, for BI
        coerce = False


class Customers(MartContract):
    customer_key: Series[object] = Key()
    legal_name: Series[object] = Required()
    lifecycle_status: Series[object] = OneOf(LIFECYCLE_STATUSES)
    segment: Series[object] = OneOf(SEGMENTS, nullable=True)
    email_consent_status: Series[object] = OneOf([*CONSENT_STATUSES, "no_contact"])
    first_order_date: Series[pa.DateTime] = pa.Field(nullable=True, coerce=True)
    last_order_date: Series[pa.DateTime] = pa.Field(nullable=True, coerce=True)
    orders_total: Series[float] = Count()
    orders_12m: Series[float] = Count()
    revenue_12m: Series[float] = pa.Field(nullable=True, coerce=True)
    source_record_count: Series[float] = pa.Field(ge=1, coerce=True)

    @pa.dataframe_check(name="dates_in_order")
    def _orders(cls, df: pd.DataFrame) -> pd.Series:
        return _not_before(df, "first_order_date", "last_order_date")

    @pa.dataframe_check(name="lifecycle_consistent")
    def _prospects_have_no_orders(cls, df: pd.DataFrame) -> pd.Series:
        return (df["lifecycle_status"] != "prospect") | (df["orders_total"].astype(float) == 0)


class CustomerCrosswalk(MartContract):
    crosswalk_key: Series[object] = Key()
    source_entity: Series[object] = pa.Field(nullable=False, isin=sorted(
        ["excel_field_sales", "excel_trade_fair", "excel_service_visits", "excel_referrals",
         "excel_christmas_cards", "crm_companies", "erp_customers"]
    ))
    record_key: Series[object] = Required()
    customer_key: Series[object] = Required()
    match_rule: Series[object] = Required()
    match_probability: Optional[Series[float]] = pa.Field(nullable=True, ge=0, le=1, coerce=True)


class ContactCrosswalk(MartContract):
    contact_record_key: Series[object] = Key()
    person_key: Series[object] = Required()
    match_rule: Series[object] = Required()


class Contacts(MartContract):
    contact_key: Series[object] = Key()
    buying_role: Series[object] = OneOf(sorted(contracts.BUYING_ROLES), nullable=True)
    consent_email: Series[object] = OneOf(CONSENT_STATUSES)
    consent_phone: Series[object] = OneOf(CONSENT_STATUSES)
    consent_postal: Series[object] = OneOf(CONSENT_STATUSES)

    @pa.dataframe_check(name="consent_consistent")
    def _any_consent(cls, df: pd.DataFrame) -> pd.Series:
        granted = df[["consent_email", "consent_phone", "consent_postal"]].eq("granted").any(axis=1)
        return df["has_any_consent"].astype(bool) == granted


class Leads(MartContract):
    lead_key: Series[object] = Key()
    lead_id: Series[object] = Required()
    source_channel: Series[object] = OneOf(sorted(contracts.LEAD_SOURCES))
    status: Series[object] = OneOf(sorted(contracts.LEAD_STATUSES))
    follow_up_status: Series[object] = OneOf(FOLLOW_UP_STATUSES)
    created_at: Series[pa.DateTime] = pa.Field(nullable=False, coerce=True)
    days_to_first_follow_up: Optional[Series[float]] = pa.Field(nullable=True, ge=0, coerce=True)

    @pa.dataframe_check(name="dates_in_order")
    def _stages(cls, df: pd.DataFrame) -> pd.Series:
        return _not_before(df, "created_at", "handed_to_sales_at") & _not_before(
            df, "handed_to_sales_at", "first_follow_up_at"
        )

    @pa.dataframe_check(name="black_hole_rule")
    def _black_hole(cls, df: pd.DataFrame) -> pd.Series:
        # a black hole was handed to sales and is late or missing its follow-up
        flagged = df["is_black_hole"].fillna(False).astype(bool)
        return ~flagged | (df["reached_handover"].astype(bool) & df["follow_up_status"].isin(["late", "missing"]))


class LeadFunnel(MartContract):
    funnel_key: Series[object] = Key()
    leads: Series[float] = pa.Field(ge=1, coerce=True)
    handed_to_sales: Series[float] = Count()
    followed_up: Series[float] = Count()
    black_hole_leads: Series[float] = Count()
    mql_rate: Series[float] = Share()
    follow_up_rate: Series[float] = Share()
    win_rate: Series[float] = Share()
    black_hole_rate: Series[float] = Share()

    @pa.dataframe_check(name="funnel_narrows")
    def _narrows(cls, df: pd.DataFrame) -> pd.Series:
        return (df["handed_to_sales"] <= df["leads"]) & (df["black_hole_leads"] <= df["handed_to_sales"])


class Channels(MartContract):
    channel_code: Series[object] = pa.Field(nullable=False, unique=True, isin=sorted(contracts.CHANNEL_CODES))
    channel_name: Series[object] = Required()
    channel_type: Series[object] = OneOf(CHANNEL_TYPES)


class ChannelPnlMonthly(MartContract):
    channel_month_key: Series[object] = Key()
    month: Series[pa.DateTime] = pa.Field(nullable=False, coerce=True)
    channel_code: Series[object] = pa.Field(nullable=False, isin=sorted(contracts.CHANNEL_CODES))
    revenue: Series[float] = pa.Field(ge=0, coerce=True)
    credit_notes: Series[float] = pa.Field(ge=0, coerce=True)
    net_revenue: Series[float] = pa.Field(coerce=True)
    cost_of_goods: Series[float] = pa.Field(nullable=True, ge=0, coerce=True)
    channel_cost: Series[float] = pa.Field(nullable=True, ge=0, coerce=True)
    orders: Series[float] = Count()
    customers: Series[float] = Count()

    @pa.dataframe_check(name="money_adds_up")
    def _net(cls, df: pd.DataFrame) -> pd.Series:
        return (df["revenue"] - df["credit_notes"] - df["net_revenue"]).abs() < 0.005


class CustomerChannelPreference(MartContract):
    customer_key: Series[object] = Key()
    orders_total: Series[float] = pa.Field(ge=1, coerce=True)
    channels_used: Series[float] = pa.Field(ge=1, le=len(contracts.CHANNEL_CODES), coerce=True)
    preferred_channel_code: Series[object] = pa.Field(nullable=False, isin=sorted(contracts.CHANNEL_CODES))
    channel_switches: Series[float] = Count()

    @pa.dataframe_check(name="shares_add_up")
    def _shares(cls, df: pd.DataFrame) -> pd.Series:
        shares = df[[c for c in df.columns if c.startswith("order_share_")]].astype(float).fillna(0)
        return (shares.sum(axis=1) - 1).abs() < 0.001


class CustomerValue(MartContract):
    customer_key: Series[object] = Key()
    revenue_score: Series[float] = Score()
    gross_margin_score: Series[float] = Score()
    contribution_score: Series[float] = Score()
    cost_to_serve_score: Series[float] = Score()
    payment_score: Series[float] = Score()
    reference_score: Series[float] = Score()
    trend_score: Series[float] = Score()
    cross_sell_score: Series[float] = Score()
    repeat_purchase_score: Series[float] = Score()
    total_score: Series[float] = Score()
    value_class: Series[object] = OneOf(ABC_CLASSES)
    revenue_class: Series[object] = OneOf(ABC_CLASSES)
    score_explanation: Series[object] = Required()

    @pa.dataframe_check(name="classes_disagree_flag")
    def _flag(cls, df: pd.DataFrame) -> pd.Series:
        return df["classes_disagree"].astype(bool) == (df["value_class"] != df["revenue_class"])


class CustomerValueComponents(MartContract):
    customer_component_key: Series[object] = Key()
    customer_key: Series[object] = Required()
    component: Series[object] = OneOf(VALUE_COMPONENTS)
    score: Series[float] = Score()
    weight: Series[float] = pa.Field(ge=0, le=1, coerce=True)


def _windows_nest(df: pd.DataFrame) -> pd.Series:
    return df["touchpoints_30d"] <= df["touchpoints_90d"]


def _over_contact_flag(df: pd.DataFrame) -> pd.Series:
    return df["is_over_contacted"].astype(bool) == (df["touchpoints_30d"] > df["contact_pressure_limit_30d"])


# (pandera drops the names of dataframe checks a model inherits, so the two pressure tables
# declare theirs each)
class ContactPressure(MartContract):
    customer_key: Series[object] = Key()
    touchpoints_30d: Series[float] = Count()
    touchpoints_90d: Series[float] = Count()

    @pa.dataframe_check(name="windows_nest")
    def _nest(cls, df: pd.DataFrame) -> pd.Series:
        return _windows_nest(df)

    @pa.dataframe_check(name="over_contact_flag")
    def _flag(cls, df: pd.DataFrame) -> pd.Series:
        return _over_contact_flag(df)


class ContactPressureByContact(MartContract):
    contact_key: Series[object] = Key()
    customer_key: Series[object] = pa.Field(nullable=True)  # a contact whose company is not known
    touchpoints_30d: Series[float] = Count()
    touchpoints_90d: Series[float] = Count()

    @pa.dataframe_check(name="windows_nest")
    def _nest(cls, df: pd.DataFrame) -> pd.Series:
        return _windows_nest(df)

    @pa.dataframe_check(name="over_contact_flag")
    def _flag(cls, df: pd.DataFrame) -> pd.Series:
        return _over_contact_flag(df)


class AddressList(MartContract):
    customer_key: Series[object] = Key()
    company_name: Series[object] = Required()
    postcode: Series[object] = Required()
    city: Series[object] = Required()
    addressee_type: Series[object] = OneOf(["contact_person", "company_only"])

    @pa.dataframe_check(name="consent_respected")
    def _consent(cls, df: pd.DataFrame) -> pd.Series:
        # a named person only with postal consent (the consent date is set when granted)
        person = df["addressee_type"].eq("contact_person")
        return ~person | (df["contact_name"].notna() & df["contact_postal_consent_at"].notna())


class DataQualityLoads(MartContract):
    load_entity_key: Series[object] = Key()
    entity: Series[object] = Required()
    owner: Series[object] = Required()
    status: Series[object] = OneOf(["success", "failed"])

    @pa.dataframe_check(name="rows_conserved")
    def _conserved(cls, df: pd.DataFrame) -> pd.Series:
        ok = df["status"].ne("success")
        return ok | (df["rows_read"] == df["rows_accepted"] + df["rows_quarantined"])


class WebshopOrdersMonthly(MartContract):
    month: Series[pa.DateTime] = pa.Field(nullable=False, unique=True, coerce=True)
    shop_orders: Series[float] = Count()
    transferred_orders: Series[float] = Count()
    cancelled_orders: Series[float] = Count()
    transferred_orders_in_erp: Series[float] = Count()
    erp_web_orders: Series[float] = Count()
    cancellation_rate: Series[float] = Share()
    mobile_share: Series[float] = Share()

    @pa.dataframe_check(name="funnel_narrows")
    def _narrows(cls, df: pd.DataFrame) -> pd.Series:
        return (df["transferred_orders"] + df["cancelled_orders"] <= df["shop_orders"]) & (
            df["transferred_orders_in_erp"] <= df["transferred_orders"]
        )


class DataQualityRuleViolations(MartContract):
    load_rule_key: Series[object] = Key()
    entity: Series[object] = Required()
    owner: Series[object] = Required()
    rule: Series[object] = Required()
    severity: Series[object] = OneOf(["error", "warn"])
    rows: Series[float] = pa.Field(ge=1, coerce=True)


class DataQualityCompleteness(MartContract):
    load_column_key: Series[object] = Key()
    entity: Series[object] = Required()
    completeness: Series[float] = Share()

    @pa.dataframe_check(name="value_range")
    def _filled(cls, df: pd.DataFrame) -> pd.Series:
        return df["rows_filled"] <= df["rows_read"]


# mart table name (dbt model alias) -> contract
MART_CONTRACTS: dict[str, type[MartContract]] = {
    "customers": Customers,
    "customer_crosswalk": CustomerCrosswalk,
    "contact_crosswalk": ContactCrosswalk,
    "contacts": Contacts,
    "leads": Leads,
    "lead_funnel": LeadFunnel,
    "channels": Channels,
    "channel_pnl_monthly": ChannelPnlMonthly,
    "customer_channel_preference": CustomerChannelPreference,
    "customer_value": CustomerValue,
    "customer_value_components": CustomerValueComponents,
    "contact_pressure": ContactPressure,
    "contact_pressure_by_contact": ContactPressureByContact,
    "address_list": AddressList,
    "webshop_orders_monthly": WebshopOrdersMonthly,
    "data_quality_loads": DataQualityLoads,
    "data_quality_rule_violations": DataQualityRuleViolations,
    "data_quality_completeness": DataQualityCompleteness,
}


def check_mart_table(frame: pd.DataFrame, table: str) -> tuple[ValidationResult, int]:
    """Validate a mart table against its contract: the result and the rows breaking an
    error rule (the table passes when there are none and no schema problems)."""
    contract = MART_CONTRACTS[table]
    result = validate(frame, contract, key_column(contract))
    errors = result.violations[result.violations["severity"] == "error"]
    return result, int(errors["row"].nunique())


def key_column(contract: type[MartContract]) -> str:
    """The table's primary key: its first unique column."""
    return next(name for name, column in contract.to_schema().columns.items() if column.unique)
