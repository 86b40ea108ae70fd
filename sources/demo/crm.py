"""The CRM export (HubSpot style CSV): companies, contacts, leads, deals, activities.

Header rows are the registry's aliases (sources/registry.yaml), one per column, in the
registry's column order. Timestamps are ISO 8601 UTC (2025-03-04T09:15:00Z), dates
2025-03-04, amounts with a dot decimal (12500.00).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import events, names
from .erp import DORMANT, EPOCH, LOST, ErpData, business_seconds, dates_text, day_of
from .places import CITY_ALIASES
from .truth import Truth
from .universe import Company, Universe

# canonical columns per file, in registry order (checked against the registry when written)
COLUMNS = {
    "crm_companies": ["company_id", "company_name", "domain", "phone", "street", "postcode", "city",
                      "country", "industry", "erp_debtor_no", "owner_email", "created_at", "updated_at"],
    "crm_contacts": ["contact_id", "company_id", "first_name", "last_name", "email", "phone", "job_title",
                     "buying_role", "consent_email", "consent_email_at", "consent_phone", "consent_phone_at",
                     "consent_postal", "consent_postal_at", "created_at", "updated_at"],
    "crm_leads": ["lead_id", "company_id", "contact_id", "source_channel", "campaign", "created_at", "mql_at",
                  "handed_to_sales_at", "first_follow_up_at", "opportunity_at", "closed_at", "status",
                  "owner_email", "updated_at"],
    "crm_deals": ["deal_id", "company_id", "lead_id", "deal_name", "stage", "amount", "close_date",
                  "owner_email", "created_at", "updated_at"],
    "crm_activities": ["activity_id", "activity_type", "company_id", "contact_id", "occurred_at", "team",
                       "owner_email", "subject"],
}
FILES = {"crm_companies": "companies.csv", "crm_contacts": "contacts.csv", "crm_leads": "leads.csv",
         "crm_deals": "deals.csv", "crm_activities": "activities.csv"}

LEAD_SOURCES = ("trade_fair", "website", "webinar", "newsletter", "referral", "cold_call", "partner")
LEAD_SOURCE_P = np.array([0.15, 0.22, 0.12, 0.18, 0.08, 0.12, 0.13])
P_MQL = np.array([0.80, 0.75, 0.60, 0.45, 0.90, 0.55, 0.70])
BLACK_HOLE_P = np.array([0.30, 0.30, 0.45, 0.50, 0.12, 0.20, 0.35])
SLA_DAYS = 14
ACTIVITY_DAYS = 540  # activities of the last 18 months
LEAD_DAYS = 730  # leads of the last 24 months
TEAMS = ("marketing", "sales", "service")
TYPES_BY_TEAM = {
    0: (("newsletter", 0.7), ("email", 0.3)),
    1: (("call", 0.35), ("email", 0.30), ("meeting", 0.12), ("visit", 0.13), ("note", 0.10)),
    2: (("call", 0.4), ("visit", 0.4), ("note", 0.2)),
}
SUBJECTS = {
    "newsletter": ("Newsletter {m}", "Produktneuheiten {m}", "Einladung Hausmesse", "Einladung Webinar"),
    "email": ("Angebot {n}", "Rückfrage Lieferzeit", "Preisanfrage", "Unterlagen zugesandt",
              "Terminbestätigung", "Auftragsbestätigung {n}"),
    "call": ("Rückruf", "Nachfassen Angebot {n}", "Bedarfsklärung", "Reklamation besprochen",
             "Telefonat Einkauf"),
    "meeting": ("Jahresgespräch", "Projektbesprechung", "Teams-Termin Technik", "Rahmenvertrag"),
    "visit": ("Kundenbesuch", "Besuch vor Ort", "Werksbesichtigung", "Wartungseinsatz"),
    "note": ("Notiz", "Ansprechpartner gewechselt", "Budget für nächstes Jahr", "Wettbewerb im Haus"),
}
MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
             "Oktober", "November", "Dezember")
OPEN_STAGES = ("appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
               "contractsent")
DEAL_TOPICS = ("Antriebspaket", "Retrofit Linie {n}", "Sensorik-Nachrüstung", "Wartungsvertrag",
               "Steuerungsupgrade", "Ersatzteilrahmenvertrag", "Neuanlage Halle {n}", "Automatisierung Montage")
COUNTRY_TEXT = {"DE": (("Germany", 0.75), ("Deutschland", 0.15), ("DE", 0.05), ("", 0.05)),
                "AT": (("Austria", 0.7), ("Österreich", 0.2), ("AT", 0.1)),
                "CH": (("Switzerland", 0.7), ("Schweiz", 0.2), ("CH", 0.1))}


@dataclass
class CrmData:
    rows: dict[str, list[list[str]]] = field(default_factory=dict)
    company_ids: dict[int, list[str]] = field(default_factory=dict)  # company idx -> record ids (main first)
    contact_of_person: dict[int, str] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)


def _iso(seconds: np.ndarray) -> list[str]:
    """ISO 8601 UTC text, '' where seconds < 0."""
    seconds = np.asarray(seconds, dtype=np.int64)
    text = np.datetime_as_string(np.where(seconds < 0, 0, seconds).astype("datetime64[s]")).astype(object) + "Z"
    text[seconds < 0] = ""
    return text.tolist()


def _pick(rnd: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    r = rnd.random()
    for value, p in options:
        r -= p
        if r < 0:
            return value
    return options[-1][0]


def _company_phone(c: Company, rnd: random.Random) -> str:
    return names.phone_format(c.country, c.area, c.phone_number, rnd)


def build_crm(u: Universe, erp: ErpData, truth: Truth) -> CrmData:
    rng = np.random.default_rng([u.seed, 4])
    rnd = random.Random(u.seed * 7919 + 4)
    A = day_of(u.as_of)
    now = A * 86400 + 18 * 3600  # the export ran at the end of the as-of day
    crm_start = A - 6 * 365
    data = CrmData()
    companies = u.companies
    protected = u.planted.all()
    type_of = {}
    for k, comp in enumerate(erp.debtor_company.tolist()):
        if not erp.debtor_is_duplicate[k]:
            type_of[comp] = int(erp.debtor_type[k])

    # ---------------------------------------------------------------- companies
    records: list[dict] = []
    for c in companies:
        if not c.in_crm:
            continue
        debtors = erp.debtors_of_company.get(c.idx, [])
        if debtors:
            erp_created = int(erp.debtor_created[debtors[0]])
            day = crm_start + names.randrange(rnd, 0, 60) if erp_created < crm_start else min(erp_created + names.randrange(rnd, 0, 200), A - 1)
        else:
            day = A - names.randrange(rnd, 3, 6 * 365)
        records.append({"company": c.idx, "day": day, "dup": False})
        if c.idx not in protected and rnd.random() < 0.03:
            records.append({"company": c.idx, "day": min(day + names.randrange(rnd, 30, 900), A - 1), "dup": True})
    records.sort(key=lambda r: (r["day"], r["company"], r["dup"]))
    next_id = 4_100_000_000
    created_s = np.array([r["day"] for r in records], dtype=np.int64) * 86400 + business_seconds(rng, len(records))
    for r, cs in zip(records, created_s.tolist()):
        next_id += names.randrange(rnd, 1, 40)
        r["id"] = str(next_id)
        r["created"] = cs
        data.company_ids.setdefault(r["company"], []).append(r["id"])
    for ids in data.company_ids.values():
        ids.sort(key=lambda i: int(i))
    updated_s = np.maximum(created_s, (A - rng.integers(0, 500, size=len(records))) * 86400 + business_seconds(rng, len(records)))
    created_txt, updated_txt = _iso(created_s), _iso(updated_s)

    rows = []
    empty_name = set()
    if records:
        candidates = [i for i, r in enumerate(records) if r["company"] not in protected]
        empty_name = set(rnd.sample(candidates, min(len(candidates), max(1, len(records) // 400))))
    main_names: dict[int, str] = {}
    for i, r in enumerate(records):
        c = companies[r["company"]]
        defects = []
        if r["dup"]:
            kind = names.choice(rnd, [k for k in names.COMPANY_DIRT if k != "trailing"])
            name = names.company_spelling(c.base, c.form, kind, rnd)
            if name == main_names.get(c.idx):
                name = names.company_spelling(c.base, c.form, "nolegal" if kind != "nolegal" else "upper", rnd)
        elif c.idx == u.planted.five_spellings:
            name = truth.five_spelling(c, "crm_companies", rnd)
        else:
            name = names.company_spelling(c.base, c.form, names.pick_company_dirt(rnd, 0.22, base=c.base), rnd)
        if not r["dup"]:
            main_names[c.idx] = name
        if i in empty_name:
            name, defects = "", ["missing_company_name"]
        r_dom = rnd.random()
        domain = c.domain if r_dom < 0.88 else ("www." + c.domain if r_dom < 0.92 else "")
        phone = _company_phone(c, rnd) if rnd.random() < 0.8 else ""
        street = c.street if rnd.random() < 0.9 else ""
        if street and rnd.random() < 0.1:
            street = names.street_variant(street, rnd)
        r_pc = rnd.random()
        postcode = c.postcode
        if r_pc < 0.05:
            postcode = ""
        elif r_pc < 0.06 and c.idx not in protected:
            postcode = names.choice(rnd, ("ABCDE", c.postcode[:-1], c.postcode + "1"))
            defects.append("invalid_postcode")
        r_city = rnd.random()
        city = c.city if r_city < 0.9 else (names.city_variant(c.city, rnd, CITY_ALIASES) if r_city < 0.95 else "")
        country = _pick(rnd, COUNTRY_TEXT[c.country])
        industry = names.choice(rnd, names.HUBSPOT_INDUSTRY[c.industry]) if rnd.random() < 0.85 else ""
        debtors = erp.debtors_of_company.get(c.idx, [])
        debtor = ""
        if debtors and rnd.random() < (0.1 if r["dup"] else 0.6):
            debtor = erp.debtor_no[debtors[-1] if len(debtors) > 1 and rnd.random() < 0.3 else debtors[0]]
        r_own = rnd.random()
        owner = u.rep_of(c).email if r_own < 0.85 else (names.choice(rnd, u.inside_reps).email if r_own < 0.95 else "")
        rows.append([r["id"], name, domain, phone, street, postcode, city, country, industry, debtor, owner,
                     created_txt[i], updated_txt[i]])
        truth.record("crm_companies", r["id"], c.tid, defects + (["duplicate_record"] if r["dup"] else []))
        truth.note_spelling(c.idx, "crm_companies", r["id"], name)
    data.rows["crm_companies"] = rows
    company_created = {r["id"]: r["created"] for r in records}

    # ---------------------------------------------------------------- contacts
    contacts: list[dict] = []
    for c in companies:
        ids = data.company_ids.get(c.idx)
        if not ids:
            continue
        main = ids[0]
        for k, pidx in enumerate(c.persons):
            if rnd.random() >= (0.85 if k == 0 else 0.72) and c.idx not in (u.planted.over_contacted, u.planted.prospect):
                continue
            r_co = rnd.random()
            company_id = main if r_co < 0.93 else (ids[-1] if r_co < 0.98 else "")
            base_day = max(company_created[main] // 86400, crm_start)
            day = min(base_day + names.randrange(rnd, 0, 700), A - 1)
            contacts.append({"person": pidx, "company_id": company_id, "day": day, "dup": False})
            if rnd.random() < 0.02:
                contacts.append({"person": pidx, "company_id": names.choice(rnd, (company_id, "", ids[-1])),
                                 "day": min(day + names.randrange(rnd, 20, 600), A - 1), "dup": True})
    contacts.sort(key=lambda r: (r["day"], r["person"], r["dup"]))
    n_ct = len(contacts)
    c_created = np.array([r["day"] for r in contacts], dtype=np.int64) * 86400 + business_seconds(rng, n_ct)
    c_updated = np.maximum(c_created, (A - rng.integers(0, 400, size=n_ct)) * 86400 + business_seconds(rng, n_ct))
    c_created_txt, c_updated_txt = _iso(c_created), _iso(c_updated)
    contact_ids = (5_200_000_000 + np.cumsum(rng.integers(1, 30, size=n_ct))).astype(str).tolist()
    # consent per purpose (e-mail, phone, postal): value and the date it was given or withdrawn
    created_day_c = c_created // 86400
    consent_cols = []
    for granted, withdrawn in ((0.45, 0.08), (0.25, 0.05), (0.35, 0.03)):
        x = rng.random(n_ct)
        value = np.where(x < granted, "granted", np.where(x < granted + withdrawn, "withdrawn", ""))
        when = np.minimum(created_day_c + np.floor(rng.random(n_ct) * np.maximum(1, A - created_day_c)).astype(np.int64), A)
        when_txt = np.where(value != "", np.array(dates_text(when), dtype=object), "")
        consent_cols += [value.tolist(), when_txt.tolist()]
    consents = list(zip(*consent_cols))
    rows = []
    contacts_by_company: dict[str, list[int]] = {}
    R = rnd.random
    for i, r in enumerate(contacts):
        cid = contact_ids[i]
        p = u.persons[r["person"]]
        c = companies[p.company]
        defects = []
        first, last = p.first, p.last
        if r["dup"]:
            first, last = (names.ascii_umlauts(first), names.ascii_umlauts(last)) if R() < 0.5 else (first, last.upper())
        elif R() < 0.02:
            first, last = names.ascii_umlauts(first), names.ascii_umlauts(last)
        if not r["dup"] and R() < 0.01 and c.idx not in protected:
            last, defects = "", ["missing_last_name"]
        email = p.email if R() < 0.85 else ""
        if email and R() < 0.02 and c.idx not in protected:
            email = names.invalid_email(p.first, p.last, c.domain, rnd)
            defects.append("invalid_email")
        elif email and (r["dup"] or R() < 0.02):
            email = email.upper() if R() < 0.5 else email.capitalize()
        phone = names.phone_format(c.country, c.area, c.phone_number[:-1] + p.extension, rnd) if R() < 0.6 else ""
        rows.append((cid, r["company_id"], first, last, email, phone, p.job_title if R() < 0.7 else "",
                     p.role if R() < 0.75 else "", *consents[i], c_created_txt[i], c_updated_txt[i]))
        if r["dup"]:
            defects.append("duplicate_record")
        truth.record("crm_contacts", cid, c.tid, defects)
        truth.person("crm_contacts", cid, p.pid, c.tid)
        if not r["dup"]:
            data.contact_of_person[p.idx] = cid
            contacts_by_company.setdefault(data.company_ids[c.idx][0], []).append(i)
    data.rows["crm_contacts"] = rows

    # ---------------------------------------------------------------- leads (vectorised)
    main_records = [(c_idx, ids[0]) for c_idx, ids in sorted(data.company_ids.items())]
    n_c = len(main_records)
    rec_company = np.array([c for c, _ in main_records], dtype=np.int64)
    n_leads = rng.poisson(u.volumes.leads_per_crm_company, size=n_c)
    lc = np.repeat(np.arange(n_c), n_leads)
    L = len(lc)
    src = rng.choice(len(LEAD_SOURCES), size=L, p=LEAD_SOURCE_P)
    fairs = events.fairs_between(u.as_of - dt.timedelta(days=LEAD_DAYS), u.as_of)
    created_day = A - rng.integers(0, LEAD_DAYS, size=L)
    fair_idx = rng.integers(0, max(len(fairs), 1), size=L)
    if fairs:
        fair_end = np.array([day_of(f.end) for f in fairs])
        is_fair = src == 0
        created_day = np.where(is_fair, fair_end[fair_idx] + rng.integers(1, 11, size=L), created_day)
    else:
        src = np.where(src == 0, 1, src)
    created_day = np.minimum(created_day, A)
    created_ts = created_day * 86400 + business_seconds(rng, L)
    created_ts = np.minimum(created_ts, now - 3600)
    day_s = 86400

    def at_work(day: np.ndarray, not_before: np.ndarray) -> np.ndarray:
        """A timestamp in office hours on `day`, but never before `not_before`."""
        ts_ = day * day_s + business_seconds(rng, L)
        return np.where(ts_ > not_before, ts_, not_before + rng.integers(600, 7200, size=L))

    mql = rng.random(L) < P_MQL[src]
    mql_ts = created_ts + rng.integers(600, 10 * day_s, size=L)  # marketing automation, any hour
    mql &= mql_ts <= now
    handed = mql & (rng.random(L) < 0.65)
    handed_ts = at_work(mql_ts // day_s + rng.integers(0, 8, size=L), mql_ts)
    handed_day = handed_ts // day_s
    handed &= (handed_ts <= now) & ~((handed_day >= A - 15) & (handed_day <= A - 13))
    field_reps, inside_reps = u.field_reps, u.inside_reps
    reps = field_reps + inside_reps
    rep_factor = np.array([rnd.uniform(0.6, 1.5) for _ in field_reps] + [rnd.uniform(0.5, 0.9) for _ in inside_reps])
    company_terr = np.array([companies[c].territory for c in rec_company.tolist()])
    owner_rep = np.where(rng.random(L) < 0.7, company_terr[lc], len(field_reps) + rng.integers(0, len(inside_reps), size=L))
    black_hole = rng.random(L) < np.clip(BLACK_HOLE_P[src] * rep_factor[owner_rep], 0.03, 0.9)
    followed = handed & ~black_hole
    # follow-up after 0-10 days (most) or 18-45 days (late): never close to the 14-day SLA
    delay_days = np.where(rng.random(L) < 0.85, rng.integers(0, 11, size=L), rng.integers(18, 46, size=L))
    fu_ts = at_work(handed_day + delay_days, handed_ts)
    followed &= fu_ts <= now
    opp = followed & (rng.random(L) < 0.45)
    opp_ts = at_work(fu_ts // day_s + rng.integers(3, 31, size=L), fu_ts)
    opp &= opp_ts <= now
    closed = opp & (rng.random(L) < 0.75)
    close_ts = at_work(opp_ts // day_s + rng.integers(14, 121, size=L), opp_ts)
    closed &= close_ts <= now
    won = closed & (rng.random(L) < 0.45)
    dq1 = followed & ~opp & (rng.random(L) < 0.35)
    dq1_ts = at_work(fu_ts // day_s + rng.integers(3, 31, size=L), fu_ts)
    dq1 &= dq1_ts <= now
    dq2 = mql & ~handed & (rng.random(L) < 0.2)
    dq2_ts = at_work(mql_ts // day_s + rng.integers(5, 41, size=L), mql_ts)
    dq2 &= dq2_ts <= now
    status = np.full(L, "new", dtype=object)
    status[mql] = "mql"
    status[handed] = "handed_to_sales"
    status[followed] = "in_progress"
    status[opp] = "opportunity"
    status[closed & won] = "won"
    status[closed & ~won] = "lost"
    status[dq1 | dq2] = "disqualified"
    closed_ts = np.where(closed, close_ts, np.where(dq1, dq1_ts, np.where(dq2, dq2_ts, -1)))
    last_ts = np.maximum.reduce([created_ts, np.where(mql, mql_ts, 0), np.where(handed, handed_ts, 0),
                                 np.where(followed, fu_ts, 0), np.where(opp, opp_ts, 0), closed_ts])
    updated_ts = np.minimum(last_ts + rng.integers(60, 3 * 86400, size=L), now)
    # black-hole ground truth (robust to date/timestamp interpretation by construction)
    sla = SLA_DAYS * 86400
    eligible = handed & (handed_day <= A - SLA_DAYS)
    in_time = followed & (fu_ts - handed_ts <= sla)
    data.facts["black_hole_leads_total"] = int((eligible & ~in_time).sum())
    data.facts["leads_handed_eligible"] = int(eligible.sum())
    data.facts["leads_total"] = L

    # sort by creation and number
    order = np.lexsort((np.arange(L), created_ts))
    id_of_rank = (6_300_000_000 + np.cumsum(rng.integers(1, 25, size=L))).astype(str)
    lead_ids = np.empty(L, dtype=object)
    lead_ids[order] = id_of_rank
    lead_ids = lead_ids.tolist()
    ts_txt = {name: _iso(np.where(mask, arr, -1)) for name, arr, mask in (
        ("created", created_ts, np.ones(L, dtype=bool)), ("mql", mql_ts, mql), ("handed", handed_ts, handed),
        ("fu", fu_ts, followed), ("opp", opp_ts, opp), ("closed", closed_ts, closed_ts >= 0),
        ("updated", updated_ts, np.ones(L, dtype=bool)))}
    created_dates = created_day.astype("datetime64[D]")
    years = (created_dates.astype("datetime64[Y]").astype(np.int64) + 1970).tolist()
    quarters = ((created_dates.astype("datetime64[M]").astype(np.int64) % 12) // 3 + 1).tolist()
    campaign = []
    for k, s_k in enumerate(src.tolist()):
        s = LEAD_SOURCES[s_k]
        if s == "trade_fair":
            name = fairs[int(fair_idx[k])].campaign
        elif s == "newsletter":
            name = f"Newsletter Q{quarters[k]} {years[k]}"
        elif s == "webinar":
            name = events.WEBINARS[int(created_day[k]) // 91 % len(events.WEBINARS)]
        elif s == "website":
            name = events.WEBSITE[k % len(events.WEBSITE)].format(y=years[k])
        elif s == "referral":
            name = "Kundenempfehlung"
        elif s == "cold_call":
            name = f"Telefonaktion Q{quarters[k]} {years[k]}"
        else:
            name = events.PARTNER[k % len(events.PARTNER)].format(y=years[k])
        campaign.append(name)
    for k in np.flatnonzero(rng.random(L) < 0.05).tolist():
        campaign[k] = ""
    # a few leads lost their Create Date in a botched import (only never-qualified ones)
    new_leads = np.flatnonzero(status == "new")
    missing_created = rng.choice(new_leads, size=min(len(new_leads), max(1, L // 150)), replace=False) if len(new_leads) else []
    created_col = list(ts_txt["created"])
    for k in missing_created:
        created_col[int(k)] = ""

    # contacts of each main record, flattened, for vectorised picks
    flat: list[int] = []
    c_off = np.zeros(n_c, dtype=np.int64)
    c_cnt = np.zeros(n_c, dtype=np.int64)
    for j, (_, rec) in enumerate(main_records):
        members = contacts_by_company.get(rec, [])
        c_off[j], c_cnt[j] = len(flat), len(members)
        flat.extend(members)
    flat_arr = np.array(flat + [0], dtype=np.int64)
    contact_ids_ext = contact_ids + [""]  # index -1 -> ""

    def pick_contacts(companies_j: np.ndarray, p_with: np.ndarray | float) -> np.ndarray:
        cnt = c_cnt[companies_j]
        pick = flat_arr[c_off[companies_j] + np.floor(rng.random(len(companies_j)) * cnt).astype(np.int64)]
        return np.where((cnt > 0) & (rng.random(len(companies_j)) < p_with), pick, -1)

    # owners: one list of e-mails, offsets per kind
    marketing = u.marketing
    technicians = u.technicians
    emails = [r.email for r in marketing] + [r.email for r in reps] + [r.email for r in technicians]
    rep_off = len(marketing)
    tech_off = rep_off + len(reps)

    main_ids = [rec for _, rec in main_records]
    second_ids = [data.company_ids[c][-1] for c, _ in main_records]
    use_second = (rng.random(L) < 0.3) & np.array([len(data.company_ids[c]) > 1 for c, _ in main_records] + [False])[lc]
    lead_company_ids = [second_ids[j] if s else main_ids[j] for j, s in zip(lc.tolist(), use_second.tolist())]
    lead_contact = pick_contacts(lc, 0.9)
    lead_owner = np.where(handed, rep_off + owner_rep, rng.integers(0, len(marketing), size=L))
    status_list = status.tolist()
    rows = [
        [lead_ids[k], lead_company_ids[k], contact_ids_ext[lead_contact[k]], LEAD_SOURCES[s_k], campaign[k],
         created_col[k], ts_txt["mql"][k], ts_txt["handed"][k], ts_txt["fu"][k], ts_txt["opp"][k],
         ts_txt["closed"][k], status_list[k], emails[o], ts_txt["updated"][k]]
        for k, (s_k, o) in enumerate(zip(src.tolist(), lead_owner.tolist()))
    ]
    rows.sort(key=lambda row: int(row[0]))
    data.rows["crm_leads"] = rows
    data.facts["leads_missing_create_date"] = len(missing_created)

    # ---------------------------------------------------------------- deals
    deal_src = []
    for k in np.flatnonzero(opp).tolist():
        stage = "closedwon" if status_list[k] == "won" else "closedlost" if status_list[k] == "lost" else names.choice(rnd, OPEN_STAGES)
        deal_src.append((int(opp_ts[k]), int(rec_company[lc[k]]), lead_ids[k], stage,
                         int(closed_ts[k]) if closed[k] else -1, reps[int(owner_rep[k])].email))
    for c_idx, ids in sorted(data.company_ids.items()):
        if c_idx in erp.debtors_of_company and rnd.random() < 0.25:
            start = int(now - names.randrange(rnd, 1, 540) * 86400)
            stage = names.choice(rnd, OPEN_STAGES + ("closedwon", "closedwon", "closedlost"))
            close = start + names.randrange(rnd, 10, 120) * 86400 if stage.startswith("closed") else -1
            if close > now:
                stage, close = names.choice(rnd, OPEN_STAGES), -1
            deal_src.append((start, c_idx, "", stage, close, u.rep_of(companies[c_idx]).email))
    deal_src.sort()
    starts = np.array([d[0] for d in deal_src], dtype=np.int64)
    updates = np.minimum(np.maximum(starts, np.array([d[4] for d in deal_src], dtype=np.int64))
                         + rng.integers(60, 86400, size=len(deal_src)), now)
    start_txt, update_txt = _iso(starts), _iso(updates)
    deal_rows = []
    next_id = 7_400_000_000
    for i, (start, c_idx, lead_id, stage, close, owner) in enumerate(deal_src):
        next_id += names.randrange(rnd, 1, 20)
        c = companies[c_idx]
        amount = round(rnd.lognormvariate(9.6, 0.9) * (2.0 if c.size_class in ("L", "XL") else 1.0), -2)
        if close >= 0:
            close_date = (EPOCH + dt.timedelta(days=close // 86400)).isoformat()
        elif rnd.random() < 0.5:
            close_date = (u.as_of + dt.timedelta(days=names.randrange(rnd, 14, 180))).isoformat()  # expected close
        else:
            close_date = ""
        topic = names.choice(rnd, DEAL_TOPICS).format(n=names.randrange(rnd, 1, 9))
        deal_rows.append([str(next_id), data.company_ids[c_idx][0], lead_id, f"{c.base} - {topic}", stage,
                          f"{amount:.2f}", close_date, owner, start_txt[i], update_txt[i]])
    data.rows["crm_deals"] = deal_rows

    # ---------------------------------------------------------------- activities (vectorised)
    size_factor = {"S": 0.7, "M": 1.0, "L": 1.4, "XL": 1.8}
    mean = np.empty(n_c)
    is_customer = np.zeros(n_c, dtype=bool)
    for j, c_idx in enumerate(rec_company.tolist()):
        t = type_of.get(c_idx)
        is_customer[j] = t is not None
        base = 4.0 if t is None else (3.0 if t in (LOST, DORMANT) else 9.0)
        mean[j] = base * size_factor[companies[c_idx].size_class]
    n_act = rng.poisson(mean)
    ac = np.repeat(np.arange(n_c), n_act)
    day = A - np.floor(rng.random(len(ac)) * ACTIVITY_DAYS).astype(np.int64)
    ts = day * 86400 + business_seconds(rng, len(ac))
    r = rng.random(len(ac))
    team = np.where(is_customer[ac], np.where(r < 0.40, 0, np.where(r < 0.82, 1, 2)), np.where(r < 0.55, 0, 1))
    # lead follow-ups are sales activities at the follow-up time
    fu_k = np.flatnonzero(followed & (fu_ts >= (A - ACTIVITY_DAYS) * 86400))
    # the over-contacted company: 30 touchpoints in the last 30 days
    over_j = [j for j, (c_idx, _) in enumerate(main_records) if c_idx == u.planted.over_contacted]
    extra_n = 30 if over_j else 0
    if over_j:  # keep the over-contacted company's count clear of the 30-day boundary
        near = (ac == over_j[0]) & (day >= A - 31) & (day <= A - 29)
        ts = np.where(near, ts - 3 * 86400, ts)
    n_plain = len(ac) + extra_n
    act_company = np.concatenate([ac, np.full(extra_n, over_j[0] if over_j else 0), lc[fu_k]])
    act_ts = np.concatenate([ts, (A - rng.integers(0, 29, size=extra_n)) * 86400 + business_seconds(rng, extra_n), fu_ts[fu_k]])
    act_team = np.concatenate([team, rng.choice(3, size=extra_n, p=[0.4, 0.4, 0.2]), np.ones(len(fu_k), dtype=np.int64)])
    n_total = len(act_company)
    type_names = ("newsletter", "email", "call", "meeting", "visit", "note")
    act_type = np.zeros(n_total, dtype=np.int64)
    for t in range(3):
        mask = act_team == t
        values, probs = zip(*TYPES_BY_TEAM[t])
        codes = np.array([type_names.index(v) for v in values])
        act_type[mask] = codes[rng.choice(len(values), size=int(mask.sum()), p=np.array(probs))]
    act_type[n_plain:] = np.where(rng.random(len(fu_k)) < 0.6, 2, 1)
    contact = pick_contacts(act_company, np.where(act_type == 0, 1.0, 0.75))
    contact[n_plain:] = lead_contact[fu_k]
    company_terr_act = company_terr[act_company]
    owner = np.select(
        [act_team == 0, (act_team == 1) & (rng.random(n_total) < 0.7), act_team == 1],
        [rng.integers(0, len(marketing), size=n_total), rep_off + company_terr_act,
         rep_off + len(field_reps) + rng.integers(0, len(inside_reps), size=n_total)],
        tech_off + rng.integers(0, len(technicians), size=n_total),
    )
    owner[n_plain:] = rep_off + owner_rep[fu_k]
    month_idx = (act_ts // 86400).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    month_label = {m: f"{MONTHS_DE[m % 12]} {1970 + m // 12}" for m in np.unique(month_idx).tolist()}
    subject_pick = rng.random(n_total)
    numbers = rng.integers(10000, 99999, size=n_total).tolist()
    subjects = []
    for k, (tp, m, x) in enumerate(zip(act_type.tolist(), month_idx.tolist(), subject_pick.tolist())):
        if k >= n_plain:
            lead_k = int(fu_k[k - n_plain])
            subjects.append(f"Rückmeldung zu Anfrage ({campaign[lead_k] or 'Lead'})")
        else:
            options = SUBJECTS[type_names[tp]]
            subjects.append(options[int(x * len(options))].format(m=month_label[m], n=numbers[k]))
    order = np.lexsort((np.arange(n_total), act_ts))
    act_ids = (8_500_000_000 + np.cumsum(rng.integers(1, 9, size=n_total))).astype(str).tolist()
    ts_text = np.array(_iso(act_ts[order]), dtype=object)
    data.rows["crm_activities"] = list(zip(
        act_ids,
        np.array(type_names, dtype=object)[act_type[order]].tolist(),
        np.array(main_ids, dtype=object)[act_company[order]].tolist(),
        np.array(contact_ids_ext, dtype=object)[contact[order]].tolist(),
        ts_text.tolist(),
        np.array(TEAMS, dtype=object)[act_team[order]].tolist(),
        np.array(emails, dtype=object)[owner[order]].tolist(),
        np.array(subjects, dtype=object)[order].tolist(),
    ))
    if over_j:
        over_count = int(((act_company == over_j[0]) & (act_ts // 86400 > A - 30)).sum())
        data.facts["over_contacted"] = {"crm_record_id": main_records[over_j[0]][1], "activities_last_30d": over_count,
                                        "window": "Activity Date in (as_of - 30 days, as_of]"}
    return data


def write_crm(out_dir: Path, data: CrmData, registry_columns: dict[str, dict[str, list[str]]]) -> dict[str, int]:
    """Write the five CSV files; headers are the registry aliases (first alias of each column)."""
    crm_dir = out_dir / "crm"
    crm_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for entity, filename in FILES.items():
        registry_order = list(registry_columns[entity])
        if registry_order != COLUMNS[entity]:
            raise RuntimeError(f"{entity}: registry columns {registry_order} differ from the generator's {COLUMNS[entity]}")
        header = [registry_columns[entity][c][0] for c in COLUMNS[entity]]
        with open(crm_dir / filename, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(data.rows[entity])
        counts[entity] = len(data.rows[entity])
    return counts
