"""Pandera contracts for every raw source entity.

File sources arrive as text (see sources/readers.py), so the contracts test that the
text can be typed and parsed; the ERP arrives typed from SQL. Check names are rule names
in quality/rules.yaml, which gives each its severity and message.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import formats

LEAD_SOURCES = {"trade_fair", "website", "webinar", "newsletter", "referral", "cold_call", "partner"}
LEAD_STATUSES = {"new", "mql", "handed_to_sales", "in_progress", "opportunity", "won", "lost", "disqualified"}
BUYING_ROLES = {"purchaser", "user", "decision_maker", "influencer"}
CONSENT_VALUES = {"granted", "withdrawn"}
DEAL_STAGES = {
    "appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
    "contractsent", "closedwon", "closedlost",
}
ACTIVITY_TYPES = {"call", "email", "meeting", "visit", "note", "newsletter"}
TEAMS = {"marketing", "sales", "service"}
CHANNEL_CODES = {"FS", "IS", "WEB", "MKT", "DIST", "EDI"}
DOC_TYPES = {"INV", "CRN"}
SHOP_STATUSES = {"transferred", "cancelled"}
PAYMENT_METHODS = {"invoice", "prepayment", "credit_card", "paypal"}
DEVICES = {"desktop", "mobile", "tablet"}

Text = Optional[Series[object]]


class RawContract(pa.DataFrameModel):
    """Provenance every raw row carries."""

    record_key: Series[object] = pa.Field(nullable=False, alias="_record_key")
    source_file: Series[object] = pa.Field(nullable=False, alias="_source_file")

    class Config:
        strict = False  # a new optional column must not break the load
        coerce = False


def _today() -> dt.date:
    return dt.date.today()



# ------------------------------------------------------------------------- Excel islands
class FieldSalesSheet(RawContract):
    company_name: Series[object] = pa.Field(nullable=False)
    postcode: Text = pa.Field(nullable=True)
    email: Text = pa.Field(nullable=True)
    potential_eur: Text = pa.Field(nullable=True)
    last_visit: Text = pa.Field(nullable=True)
    visits_12m: Text = pa.Field(nullable=True)

    @pa.check("postcode", name="postcode_format")
    def _postcode(cls, s: pd.Series) -> pd.Series:
        return formats.is_postcode(s)

    @pa.check("email", name="email_format")
    def _email(cls, s: pd.Series) -> pd.Series:
        return formats.is_email(s)

    @pa.check("potential_eur", "visits_12m", name="optional_amount_format")
    def _amount(cls, s: pd.Series) -> pd.Series:
        return formats.is_amount(s)

    @pa.check("last_visit", name="optional_date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("last_visit", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())

    @pa.dataframe_check(name="phone_format")
    def _phone(cls, df: pd.DataFrame) -> pd.Series:
        return formats.phone_fits_country(df, country_column=None)


class TradeFairSheet(RawContract):
    company_name: Series[object] = pa.Field(nullable=False)
    last_name: Series[object] = pa.Field(nullable=False)
    email: Text = pa.Field(nullable=True)
    postcode: Text = pa.Field(nullable=True)
    contact_date: Text = pa.Field(nullable=True)
    country: Text = pa.Field(nullable=True)

    @pa.check("email", name="email_format")
    def _email(cls, s: pd.Series) -> pd.Series:
        return formats.is_email(s)

    @pa.check("contact_date", name="optional_date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("contact_date", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())

    # postcode, phone and country are checked together: each must fit the row's country
    @pa.dataframe_check(name="postcode_format")
    def _postcode_country(cls, df: pd.DataFrame) -> pd.Series:
        return formats.postcode_fits_country(df)

    @pa.dataframe_check(name="phone_format")
    def _phone_country(cls, df: pd.DataFrame) -> pd.Series:
        return formats.phone_fits_country(df)

    @pa.check("country", name="country_code")
    def _country(cls, s: pd.Series) -> pd.Series:
        return formats.is_country(s)


class ServiceVisitSheet(RawContract):
    company_name: Series[object] = pa.Field(nullable=False)
    visit_date: Series[object] = pa.Field(nullable=False)
    cost_eur: Series[object] = pa.Field(nullable=False)
    hours: Text = pa.Field(nullable=True)

    @pa.check("visit_date", name="date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("visit_date", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())

    @pa.check("cost_eur", name="amount_format")
    def _cost(cls, s: pd.Series) -> pd.Series:
        return formats.is_amount(s)

    @pa.check("hours", name="optional_amount_format")
    def _hours(cls, s: pd.Series) -> pd.Series:
        return formats.is_amount(s)


class ReferralSheet(RawContract):
    referrer_name: Series[object] = pa.Field(nullable=False)
    referred_company: Series[object] = pa.Field(nullable=False)
    referred_postcode: Text = pa.Field(nullable=True)
    referral_date: Text = pa.Field(nullable=True)

    @pa.check("referred_postcode", name="postcode_format")
    def _postcode(cls, s: pd.Series) -> pd.Series:
        return formats.is_postcode(s)

    @pa.check("referral_date", name="optional_date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)


class ChristmasCardSheet(RawContract):
    company_name: Series[object] = pa.Field(nullable=False)
    postcode: Text = pa.Field(nullable=True)
    country: Text = pa.Field(nullable=True)

    # postcode, phone and country are checked together: each must fit the row's country
    @pa.dataframe_check(name="postcode_format")
    def _postcode_country(cls, df: pd.DataFrame) -> pd.Series:
        return formats.postcode_fits_country(df)

    @pa.dataframe_check(name="phone_format")
    def _phone_country(cls, df: pd.DataFrame) -> pd.Series:
        return formats.phone_fits_country(df)

    @pa.check("country", name="country_code")
    def _country(cls, s: pd.Series) -> pd.Series:
        return formats.is_country(s)


# ------------------------------------------------------------------------- CRM export
class CrmCompany(RawContract):
    company_id: Series[object] = pa.Field(nullable=False)
    company_name: Series[object] = pa.Field(nullable=False)
    postcode: Text = pa.Field(nullable=True)
    created_at: Text = pa.Field(nullable=True)
    country: Text = pa.Field(nullable=True)

    @pa.check("company_id", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("created_at", name="optional_date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("created_at", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())

    # postcode, phone and country are checked together: each must fit the row's country
    @pa.dataframe_check(name="postcode_format")
    def _postcode_country(cls, df: pd.DataFrame) -> pd.Series:
        return formats.postcode_fits_country(df)

    @pa.dataframe_check(name="phone_format")
    def _phone_country(cls, df: pd.DataFrame) -> pd.Series:
        return formats.phone_fits_country(df)

    @pa.check("country", name="country_code")
    def _country(cls, s: pd.Series) -> pd.Series:
        return formats.is_country(s)


class CrmContact(RawContract):
    contact_id: Series[object] = pa.Field(nullable=False)
    last_name: Series[object] = pa.Field(nullable=False)
    email: Text = pa.Field(nullable=True)
    buying_role: Text = pa.Field(nullable=True)
    consent_email: Text = pa.Field(nullable=True)
    consent_phone: Text = pa.Field(nullable=True)
    consent_postal: Text = pa.Field(nullable=True)

    @pa.check("contact_id", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("email", name="email_format")
    def _email(cls, s: pd.Series) -> pd.Series:
        return formats.is_email(s)

    @pa.check("buying_role", name="allowed_values")
    def _role(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, BUYING_ROLES)

    @pa.check("consent_email", "consent_phone", "consent_postal", name="allowed_values")
    def _consent(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, CONSENT_VALUES)

    @pa.dataframe_check(name="phone_format")
    def _phone(cls, df: pd.DataFrame) -> pd.Series:
        return formats.phone_fits_country(df, country_column=None)


class CrmLead(RawContract):
    lead_id: Series[object] = pa.Field(nullable=False)
    created_at: Series[object] = pa.Field(nullable=False)
    source_channel: Series[object] = pa.Field(nullable=False)
    status: Text = pa.Field(nullable=True)

    @pa.check("lead_id", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("created_at", name="date_format")
    def _created(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("created_at", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())

    @pa.check("source_channel", name="allowed_values")
    def _source(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, LEAD_SOURCES)

    @pa.check("status", name="allowed_values")
    def _status(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, LEAD_STATUSES)

    @pa.dataframe_check(name="lead_stages_in_order")
    def _order(cls, df: pd.DataFrame) -> pd.Series:
        stages = ["created_at", "mql_at", "handed_to_sales_at", "first_follow_up_at", "opportunity_at"]
        ok = pd.Series(True, index=df.index)
        dates = [formats.parse_date(df[c]) for c in stages if c in df]
        for earlier, later in zip(dates, dates[1:]):
            ok &= ~(earlier.notna() & later.notna() & (later < earlier))
        return ok


class CrmDeal(RawContract):
    deal_id: Series[object] = pa.Field(nullable=False)
    stage: Series[object] = pa.Field(nullable=False)
    amount: Text = pa.Field(nullable=True)
    close_date: Text = pa.Field(nullable=True)

    @pa.check("deal_id", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("stage", name="allowed_values")
    def _stage(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, DEAL_STAGES)

    @pa.check("amount", name="optional_amount_format")
    def _amount(cls, s: pd.Series) -> pd.Series:
        return formats.is_amount(s)

    @pa.check("close_date", name="optional_date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.dataframe_check(name="won_deal_has_close_date")
    def _closed(cls, df: pd.DataFrame) -> pd.Series:
        closed = df["stage"].astype("string").str.lower().isin({"closedwon", "closedlost"})
        return ~(closed.fillna(False) & df["close_date"].isna())


class CrmActivity(RawContract):
    activity_id: Series[object] = pa.Field(nullable=False)
    activity_type: Series[object] = pa.Field(nullable=False)
    occurred_at: Series[object] = pa.Field(nullable=False)
    team: Text = pa.Field(nullable=True)

    @pa.check("activity_id", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("activity_type", name="allowed_values")
    def _type(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, ACTIVITY_TYPES)

    @pa.check("team", name="allowed_values")
    def _team(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, TEAMS)

    @pa.check("occurred_at", name="date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("occurred_at", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())


# ------------------------------------------------------------------------- ERP database
class ErpCustomer(RawContract):
    debtor_no: Series[object] = pa.Field(nullable=False)
    legal_name: Series[object] = pa.Field(nullable=False)
    postcode: Text = pa.Field(nullable=True)
    country: Text = pa.Field(nullable=True)
    vat_id: Text = pa.Field(nullable=True)
    created_on: Text = pa.Field(nullable=True)

    @pa.check("debtor_no", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("country", name="iso_country_code")
    def _country(cls, s: pd.Series) -> pd.Series:
        return formats.is_iso_country_code(s)

    @pa.dataframe_check(name="postcode_format")
    def _postcode(cls, df: pd.DataFrame) -> pd.Series:
        return formats.postcode_fits_country(df)

    @pa.dataframe_check(name="vat_id_format")
    def _vat(cls, df: pd.DataFrame) -> pd.Series:
        return formats.vat_id_fits_country(df)

    @pa.check("created_on", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())


class ErpSalesOrder(RawContract):
    order_no: Series[object] = pa.Field(nullable=False)
    debtor_no: Series[object] = pa.Field(nullable=False)
    order_date: Series[object] = pa.Field(nullable=False)
    channel_code: Series[object] = pa.Field(nullable=False)

    @pa.check("order_no", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("order_date", name="date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("order_date", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())

    @pa.check("channel_code", name="allowed_values")
    def _channel(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, CHANNEL_CODES)


class ErpOrderLine(RawContract):
    order_no: Series[object] = pa.Field(nullable=False)
    line_no: Series[object] = pa.Field(nullable=False)
    product_no: Series[object] = pa.Field(nullable=False)
    quantity: Series[float] = pa.Field(nullable=False, coerce=True)
    unit_price: Series[float] = pa.Field(nullable=False, coerce=True)
    discount_pct: Optional[Series[float]] = pa.Field(nullable=True, coerce=True)

    @pa.check("quantity", "unit_price", "discount_pct", name="non_negative")
    def _non_negative(cls, s: pd.Series) -> pd.Series:
        return s.isna() | (s >= 0)

    @pa.dataframe_check(name="unique_key")
    def _unique(cls, df: pd.DataFrame) -> pd.Series:
        return ~df.duplicated(subset=["order_no", "line_no"], keep="first")


class ErpProduct(RawContract):
    product_no: Series[object] = pa.Field(nullable=False)
    product_group: Series[object] = pa.Field(nullable=False)
    standard_cost: Series[float] = pa.Field(nullable=False, coerce=True)

    @pa.check("product_no", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("standard_cost", name="non_negative")
    def _cost(cls, s: pd.Series) -> pd.Series:
        return s.isna() | (s >= 0)


class ErpInvoice(RawContract):
    invoice_no: Series[object] = pa.Field(nullable=False)
    doc_type: Series[object] = pa.Field(nullable=False)
    debtor_no: Series[object] = pa.Field(nullable=False)
    invoice_date: Series[object] = pa.Field(nullable=False)
    net_amount: Series[float] = pa.Field(nullable=False, coerce=True)

    @pa.check("invoice_no", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("doc_type", name="allowed_values")
    def _doc_type(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, DOC_TYPES)

    @pa.check("invoice_date", name="date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("invoice_date", name="date_not_in_future")
    def _future(cls, s: pd.Series) -> pd.Series:
        return formats.not_in_future(s, _today())

    @pa.check("net_amount", name="non_negative")
    def _amount(cls, s: pd.Series) -> pd.Series:
        return s.isna() | (s >= 0)

    @pa.dataframe_check(name="credit_note_references_invoice")
    def _credit_ref(cls, df: pd.DataFrame) -> pd.Series:
        credit = df["doc_type"].astype("string").str.upper().eq("CRN").fillna(False)
        if "reference_invoice_no" not in df:
            return ~credit
        return ~(credit & df["reference_invoice_no"].isna())


class ErpChannelCost(RawContract):
    period: Series[object] = pa.Field(nullable=False)
    channel_code: Series[object] = pa.Field(nullable=False)
    cost_amount: Series[float] = pa.Field(nullable=False, coerce=True)

    @pa.check("period", name="period_format")
    def _period(cls, s: pd.Series) -> pd.Series:
        return formats.matches(s, r"^\d{4}-\d{2}$")

    @pa.check("channel_code", name="allowed_values")
    def _channel(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, CHANNEL_CODES)


# ------------------------------------------------------------------------- web shop export
class WebshopOrder(RawContract):
    shop_order_id: Series[object] = pa.Field(nullable=False)
    ordered_at: Series[object] = pa.Field(nullable=False)
    status: Series[object] = pa.Field(nullable=False)
    payment_method: Text = pa.Field(nullable=True)
    device: Text = pa.Field(nullable=True)
    basket_net: Text = pa.Field(nullable=True)

    @pa.check("shop_order_id", name="unique_key")
    def _unique(cls, s: pd.Series) -> pd.Series:
        return formats.first_occurrence(s)

    @pa.check("ordered_at", name="date_format")
    def _date(cls, s: pd.Series) -> pd.Series:
        return formats.is_date(s)

    @pa.check("status", name="allowed_values")
    def _status(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, SHOP_STATUSES)

    @pa.check("payment_method", name="allowed_values")
    def _payment(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, PAYMENT_METHODS)

    @pa.check("device", name="allowed_values")
    def _device(cls, s: pd.Series) -> pd.Series:
        return formats.one_of(s, DEVICES)

    @pa.check("basket_net", name="optional_amount_format")
    def _amount(cls, s: pd.Series) -> pd.Series:
        return formats.is_amount(s)

    @pa.dataframe_check(name="transferred_order_has_erp_order")
    def _transferred(cls, df: pd.DataFrame) -> pd.Series:
        transferred = df["status"].astype("string").str.lower().eq("transferred").fillna(False)
        if "erp_order_no" not in df:
            return ~transferred
        return ~(transferred & df["erp_order_no"].isna())


CONTRACTS: dict[str, type[RawContract]] = {
    model.__name__: model
    for model in [
        FieldSalesSheet, TradeFairSheet, ServiceVisitSheet, ReferralSheet, ChristmasCardSheet,
        CrmCompany, CrmContact, CrmLead, CrmDeal, CrmActivity,
        ErpCustomer, ErpSalesOrder, ErpOrderLine, ErpProduct, ErpInvoice, ErpChannelCost,
        WebshopOrder,
    ]
}
