"""The Excel islands (xlsx written with xlsxwriter): field-sales sheets (one workbook per
territory, in four different layouts), trade-fair contacts, service visits, referrals and
the Christmas-card list.

Typical spreadsheet habits are reproduced: title rows above the header, a totals row at the
end, amounts as German text ("12.500,00 €") in some rows and as numbers in others, dates as
text ("31.12.2024") or as date cells, postcodes typed as numbers (losing a leading zero).
Every workbook gets a fixed creation timestamp so that the files are byte-identical for the
same seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xlsxwriter

from . import events, names
from .erp import DORMANT, EPOCH, LOST, NEW, ErpData, day_of
from .places import CITY_ALIASES
from .truth import Truth
from .universe import Company, Person, Universe

# ----------------------------------------------------------------------------- layouts
# canonical column -> header text, in the sheet's column order
FIELD_SALES_LAYOUTS = (
    {  # "Nord": 2 title rows, a blank row, header on Excel row 4
        "sheet": "Kunden", "title_rows": 3, "extra": None,
        "columns": (("company_name", "Firma"), ("street", "Straße"), ("postcode", "PLZ"), ("city", "Ort"),
                    ("contact_name", "Ansprechpartner"), ("phone", "Telefon"), ("email", "E-Mail"),
                    ("potential_eur", "Umsatzpotenzial"), ("last_visit", "Letzter Besuch"),
                    ("visits_12m", "Besuche 12M"), ("sales_rep", "Vertreter"), ("debtor_no", "Kundennr."),
                    ("notes", "Notiz")),
    },
    {  # "Sued": one title row, header on Excel row 2
        "sheet": "Kunden", "title_rows": 1, "extra": None,
        "columns": (("company_name", "Kunde"), ("street", "Strasse"), ("postcode", "Postleitzahl"),
                    ("city", "Stadt"), ("contact_name", "Kontakt"), ("phone", "Tel."), ("email", "Mail"),
                    ("potential_eur", "Potenzial EUR"), ("last_visit", "Besuch am"),
                    ("visits_12m", "Anzahl Besuche"), ("sales_rep", "ADM"), ("debtor_no", "Kundennummer"),
                    ("notes", "Bemerkung")),
    },
    {  # header on Excel row 1, debtor number second, visits before last visit
        "sheet": "Kundenliste", "title_rows": 0, "extra": None,
        "columns": (("company_name", "Firmenname"), ("debtor_no", "Debitor"), ("street", "Anschrift"),
                    ("postcode", "PLZ"), ("city", "Ort"), ("contact_name", "Kontaktperson"), ("phone", "Tel"),
                    ("email", "Email"), ("potential_eur", "Potenzial"), ("visits_12m", "Anzahl Besuche"),
                    ("last_visit", "Letzter Besuch"), ("sales_rep", "Außendienst"), ("notes", "Notizen")),
    },
    {  # two title rows, header on Excel row 3, plus a column the registry does not know
        "sheet": "Tabelle1", "title_rows": 2, "extra": "Priorität",
        "columns": (("company_name", "Unternehmen"), ("street", "Straße"), ("postcode", "PLZ"), ("city", "Ort"),
                    ("contact_name", "Ansprechpartner"), ("phone", "Telefon"), ("email", "E-Mail"),
                    ("potential_eur", "Potenzial"), ("last_visit", "Besuch am"), ("visits_12m", "Besuche 12M"),
                    ("sales_rep", "Vertreter"), ("debtor_no", "Kundennummer"), ("notes", "Bemerkung")),
    },
)
TRADE_FAIR_HEADER = ("Unternehmen", "Vorname", "Nachname", "Position", "E-Mail", "Telefon", "PLZ", "Ort", "Land",
                     "Messe", "Datum", "Interesse")
SERVICE_HEADER = ("Kunde", "Kundennummer", "Datum", "Techniker", "Art", "Stunden", "Kosten")
REFERRAL_HEADER = ("Empfehlender Kunde", "Kundennr.", "Empfohlenes Unternehmen", "PLZ", "Ort", "Datum", "Status")
CHRISTMAS_HEADER = ("Firma", "Anrede", "Vorname", "Name", "Straße", "PLZ", "Ort", "Land")
# entity -> (file glob as in the registry, header texts used)
HEADERS_USED = {
    "excel_field_sales": {h for layout in FIELD_SALES_LAYOUTS for _, h in layout["columns"]},
    "excel_trade_fair": set(TRADE_FAIR_HEADER),
    "excel_service_visits": set(SERVICE_HEADER),
    "excel_referrals": set(REFERRAL_HEADER),
    "excel_christmas_cards": set(CHRISTMAS_HEADER),
}

NOTES = ("Interesse an Antriebstechnik", "Ansprechpartner wechselt", "Budget erst wieder 2. HJ",
         "will Angebot für Retrofit", "Wettbewerber im Haus", "sehr preissensibel", "Rahmenvertrag läuft aus",
         "Termin mit GF vereinbaren", "Messekontakt nachfassen", "zahlt schleppend", "Besuch nur nach Anmeldung",
         "neue Halle in Planung", "Ersatzteile direkt über Webshop", "Reklamation offen")
INTERESTS = ("Antriebstechnik", "Steuerungen", "Sensorik", "Ersatzteile", "Service/Wartung", "Retrofit",
             "Predictive Maintenance", "Schulung", "Energieeffizienz")
VISIT_TYPES = (("Wartung", 0.45, 2, 8), ("Reparatur", 0.30, 1, 10), ("Support", 0.15, 0.5, 3),
               ("Inbetriebnahme", 0.10, 6, 24))
LAND_TEXT = {"DE": ("Deutschland", "D", "DE", "Germany", ""), "AT": ("Österreich", "AT", "A", "Austria"),
             "CH": ("Schweiz", "CH", "Switzerland")}
STATUS_OPEN = ("offen", "kontaktiert")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def german_amount(value: float, rnd: random.Random) -> str:
    """12500 -> '12.500,00 €' or '12.500 €' or '12500,00'."""
    whole = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    kind = names.randrange(rnd, 4)
    if kind == 0:
        return f"{whole} €"
    if kind == 1 and float(value).is_integer():
        return f"{whole[:-3]} €"
    if kind == 2:
        return whole
    return f"{whole} EUR" if rnd.random() < 0.3 else f"{whole} €"


def german_date(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


def date_of(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


class Book:
    """One workbook with one data sheet (the first sheet, which the reader takes)."""

    def __init__(self, path: Path, sheet: str, as_of: dt.date, author: str) -> None:
        self.path = path
        self.workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
        created = dt.datetime.combine(as_of, dt.time(7, 30))
        self.workbook.set_properties({"created": created, "author": author, "company": "Demo Maschinenfabrik"})
        self.sheet_name = sheet
        self.sheet = self.workbook.add_worksheet(sheet)
        self.date_format = self.workbook.add_format({"num_format": "dd.mm.yyyy"})
        self.money_format = self.workbook.add_format({"num_format": "#,##0.00 \"€\""})
        self.bold = self.workbook.add_format({"bold": True})
        self.title = self.workbook.add_format({"bold": True, "font_size": 14})
        self.row = 0

    def key(self, row0: int) -> str:
        return f"{self.path.name}:{self.sheet_name}:{row0 + 1}"

    def write(self, values, bold: bool = False, money_cols: tuple[int, ...] = (), title: bool = False) -> int:
        """Write one row of typed cells (str, int, float, date, None) and return its 0-based index."""
        r = self.row
        sheet = self.sheet
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(r, col, value, self.title if title else (self.bold if bold else None))
            elif isinstance(value, dt.date):
                # a date cell is the Excel serial day number with a date format
                sheet.write_number(r, col, (value - EXCEL_EPOCH).days, self.date_format)
            else:
                sheet.write_number(r, col, value, self.money_format if col in money_cols else (self.bold if bold else None))
        self.row += 1
        return r

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def close(self, widths: list[int]) -> None:
        for col, width in enumerate(widths):
            self.sheet.set_column(col, col, width)
        self.workbook.close()


@dataclass
class ExcelContext:
    u: Universe
    erp: ErpData
    truth: Truth
    out: Path
    rnd: random.Random
    rng: np.random.Generator
    A: int

    def main_debtor(self, c: Company) -> str | None:
        ks = self.erp.debtors_of_company.get(c.idx)
        return self.erp.debtor_no[ks[0]] if ks else None

    def any_debtor(self, c: Company) -> str | None:
        ks = self.erp.debtors_of_company.get(c.idx)
        if not ks:
            return None
        return self.erp.debtor_no[ks[-1] if len(ks) > 1 and self.rnd.random() < 0.4 else ks[0]]


def _customer_type(ctx: ExcelContext, c: Company) -> int | None:
    ks = ctx.erp.debtors_of_company.get(c.idx)
    return int(ctx.erp.debtor_type[ks[0]]) if ks else None


def _postcode_cell(c: Company, rnd: random.Random, as_number_p: float = 0.3, prefix_p: float = 0.0):
    if c.country != "DE" and rnd.random() < prefix_p:
        return ("A-" if c.country == "AT" else "CH-") + c.postcode
    if rnd.random() < as_number_p:
        return int(c.postcode)  # typed as a number: a leading zero is lost
    return c.postcode


def _date_cell(d: dt.date, rnd: random.Random, text_p: float):
    return german_date(d) if rnd.random() < text_p else d


def _company_name(ctx: ExcelContext, c: Company, entity: str, nolegal_p: float, dirt_p: float) -> str:
    rnd = ctx.rnd
    if c.idx == ctx.u.planted.five_spellings:
        return ctx.truth.five_spelling(c, entity, rnd)
    if rnd.random() < nolegal_p:
        kind = "nolegal"
    else:
        kind = names.pick_company_dirt(rnd, dirt_p, base=c.base)
    return names.company_spelling(c.base, c.form, kind, rnd)


def _contact_name(p: Person, rnd: random.Random) -> str:
    kind = names.randrange(rnd, 6)
    title = f"{p.title} " if p.title else ""
    if kind == 0:
        return f"{p.last}, {p.first}"
    if kind == 1:
        return f"{'Frau' if p.female else 'Herr'} {title}{p.last}"
    if kind == 2:
        return f"{p.first[0]}. {p.last}"
    return f"{title}{p.first} {p.last}"


def _rep_label(first: str, last: str, rnd: random.Random) -> str:
    return names.choice(rnd, (f"{first} {last}", f"{first[0]}. {last}", last, f"{first[0]}{last[0]}"))


def _phone(c: Company, p: Person | None, rnd: random.Random) -> str:
    number = c.phone_number if p is None else c.phone_number[:-1] + p.extension
    return names.phone_format(c.country, c.area, number, rnd)


# ----------------------------------------------------------------------------- field sales
def field_sales(ctx: ExcelContext) -> int:
    u, rnd, truth = ctx.u, ctx.rnd, ctx.truth
    planted = u.planted
    forced = {planted.revenue_a_value_c, planted.five_spellings, planted.prospect}
    total = 0
    for terr in u.territories:
        if not terr.workbook:
            continue
        layout = FIELD_SALES_LAYOUTS[terr.layout]
        known_p = rnd.uniform(0.6, 0.8)
        members = [i for i in terr.companies
                   if i != planted.hidden_champion and (i in forced or rnd.random() < known_p)]
        ordered = sorted(members, key=lambda i: (names.ascii_umlauts(u.companies[i].base).casefold(), i))
        late = [i for i in ordered if rnd.random() < 0.15 and i not in forced]
        late_set = set(late)
        sequence = [i for i in ordered if i not in late_set] + late
        # duplicates inside the sheet: the same company entered again further down
        dups = [i for i in sequence if i not in forced and rnd.random() < 0.02]
        for i in dups:
            sequence.insert(names.randrange(rnd, sequence.index(i) + 1, len(sequence) + 1), -1 - i)
        book = Book(ctx.out / terr.workbook, layout["sheet"], u.as_of, terr.rep.email)
        rep = terr.rep
        if layout["title_rows"] == 3:
            book.write([f"Kundenliste Außendienst {terr.title}"], title=True)
            book.write([f"Stand: {german_date(u.as_of)}"])
            book.skip()
        elif layout["title_rows"] == 1:
            book.write([f"Kunden {terr.title} – ADM {rep.name}"], title=True)
        elif layout["title_rows"] == 2:
            book.write([f"Außendienst {terr.title}"], title=True)
            book.write([f"Vertreter: {rep.name}", None, None, f"Stand {german_date(u.as_of)}"])
        canon = [c for c, _ in layout["columns"]]
        header = [h for _, h in layout["columns"]] + ([layout["extra"]] if layout["extra"] else [])
        book.write(header, bold=True)
        pos = {c: k for k, c in enumerate(canon)}
        potential_sum = 0.0
        for entry in sequence:
            duplicate = entry < 0
            c = u.companies[-1 - entry if duplicate else entry]
            protected = c.idx in planted.all()
            defects: list[str] = ["duplicate_row"] if duplicate else []
            row: list = [None] * len(header)
            name = _company_name(ctx, c, "excel_field_sales", 0.35, 0.3)
            if duplicate:
                name = names.company_spelling(c.base, c.form, names.pick_company_dirt(rnd, 1.0, base=c.base), rnd)
            row[pos["company_name"]] = name
            r = rnd.random()
            row[pos["street"]] = c.street if r < 0.7 else (names.street_variant(c.street, rnd) if r < 0.95 else None)
            r = rnd.random()
            if r < 0.03 and not protected:
                row[pos["postcode"]] = None
            elif r < 0.04 and not protected:
                row[pos["postcode"]] = names.choice(rnd, ("ABCDE", c.postcode[:-1] + "X", "1234" if c.country == "DE" else "123"))
                defects.append("invalid_postcode")
            else:
                row[pos["postcode"]] = _postcode_cell(c, rnd, 0.3, prefix_p=0.85)
            row[pos["city"]] = c.city if rnd.random() < 0.85 else names.city_variant(c.city, rnd, CITY_ALIASES)
            person = u.persons[names.choice(rnd, c.persons[:3])] if c.persons and rnd.random() < 0.9 else None
            if person:
                row[pos["contact_name"]] = _contact_name(person, rnd)
            row[pos["phone"]] = _phone(c, person, rnd) if rnd.random() < 0.8 else None
            if person and rnd.random() < 0.75:
                if rnd.random() < 0.025 and not protected:
                    row[pos["email"]] = names.invalid_email(person.first, person.last, c.domain, rnd)
                    defects.append("invalid_email")
                else:
                    row[pos["email"]] = person.email
            potential = round(c.scale * rnd.uniform(5000, 40000), -3) if c.idx != planted.revenue_a_value_c else 250000.0
            r = rnd.random()
            if r < 0.10:
                potential = None
            elif r < 0.11 and not protected:
                row[pos["potential_eur"]] = names.choice(rnd, (f"ca. {int(potential // 1000)}k", "?", "hoch"))
                defects.append("invalid_potential")
                potential = None
            elif r < 0.5:
                row[pos["potential_eur"]] = german_amount(potential, rnd)
            else:
                row[pos["potential_eur"]] = potential
            potential_sum += potential or 0.0
            r = rnd.random()
            if r < 0.10 and c.idx != planted.revenue_a_value_c:
                visit = None
            elif r < 0.11 and not protected:
                visit = u.as_of + dt.timedelta(days=names.randrange(rnd, 5, 60))
                defects.append("future_date")
            else:
                visit = u.as_of - dt.timedelta(days=names.randrange(rnd, 1, 400))
            if visit:
                row[pos["last_visit"]] = _date_cell(visit, rnd, 0.4)
            if c.idx == planted.revenue_a_value_c:
                visits = 30
                row[pos["last_visit"]] = u.as_of - dt.timedelta(days=names.randrange(rnd, 1, 8))
            else:
                visits = int(ctx.rng.poisson({"S": 1.0, "M": 2.0, "L": 4.0, "XL": 6.0}[c.size_class]))
            row[pos["visits_12m"]] = visits if rnd.random() < 0.95 or protected else None
            row[pos["sales_rep"]] = _rep_label(rep.first, rep.last, rnd)
            debtor = ctx.any_debtor(c)
            if debtor and rnd.random() < 0.85:
                row[pos["debtor_no"]] = debtor if rnd.random() < 0.6 else int(debtor)
            if rnd.random() < 0.35:
                row[pos["notes"]] = names.choice(rnd, NOTES)
            if layout["extra"]:
                row[-1] = names.choice(rnd, ("A", "B", "C", None))
            if not protected and not duplicate and rnd.random() < 0.012 and row[pos["contact_name"]]:
                row[pos["company_name"]] = None
                defects.append("missing_company_name")
            r0 = book.write(row)
            key = book.key(r0)
            truth.record("excel_field_sales", key, c.tid, defects)
            if row[pos["company_name"]]:
                truth.note_spelling(c.idx, "excel_field_sales", key, row[pos["company_name"]])
            if person and row[pos["contact_name"]]:
                truth.person("excel_field_sales", key, person.pid, c.tid)
            total += 1
        book.skip()
        totals: list = [None] * len(header)
        totals[0] = "Summe"
        totals[pos["potential_eur"]] = round(potential_sum, 2)
        book.write(totals, bold=True)
        book.close([30, 24, 9, 18, 24, 18, 30, 16, 14, 10, 16, 12, 30, 8])
    return total


# ----------------------------------------------------------------------------- trade fairs
def trade_fairs(ctx: ExcelContext) -> int:
    u, rnd, truth = ctx.u, ctx.rnd, ctx.truth
    planted = u.planted
    n = int(np.clip(round(0.15 * len(u.companies)), 30, 4000))
    known = [c.idx for c in u.companies if c.is_erp and c.persons]
    new = [c.idx for c in u.companies if not c.is_erp and c.persons]
    total = 0
    for fair_no, fair in enumerate(events.excel_fairs(u.as_of)):
        scanner = fair.key == "sps"  # badge scanner: ASCII names, capitals
        picked: list[int] = []
        seen: set[int] = set()
        forced = [planted.prospect] + ([planted.five_spellings] if fair_no == 0 else [])
        for ci in forced:
            p = u.companies[ci].persons[0]
            picked.append(p)
            seen.add(p)
        while len(picked) < n:
            pool = new if (new and rnd.random() < 0.35) else known
            c = u.companies[names.choice(rnd, pool)]
            p = names.choice(rnd, c.persons)
            if p in seen:
                continue
            seen.add(p)
            picked.append(p)
            if rnd.random() < 0.03:
                picked.append(-1 - p)  # came back on another day
        rnd.shuffle(picked)
        fname = f"Messe_{'Hannover' if fair.key == 'hannover' else 'SPS'}_{fair.start.year}.xlsx"
        book = Book(ctx.out / fname, "Kontakte", u.as_of, "marketing@example.com")
        if scanner:
            book.write([f"Messekontakte {fair.name} {fair.city}"], title=True)
        book.write(list(TRADE_FAIR_HEADER), bold=True)
        for entry in picked:
            duplicate = entry < 0
            p = u.persons[-1 - entry if duplicate else entry]
            c = u.companies[p.company]
            protected = c.idx in planted.all()
            defects: list[str] = ["duplicate_row"] if duplicate else []
            if c.idx == planted.five_spellings:
                company = ctx.truth.five_spelling(c, "excel_trade_fair", rnd)
            elif scanner:
                company = names.company_spelling(c.base, c.form, names.choice(rnd, ("upper", "strip", "ascii", None, None)), rnd)
            else:
                company = _company_name(ctx, c, "excel_trade_fair", 0.3, 0.3)
            first, last = p.first, p.last
            if scanner and rnd.random() < 0.6:
                first, last = names.strip_umlauts(first), names.strip_umlauts(last)
            elif rnd.random() < 0.2:
                first, last = names.ascii_umlauts(first), names.ascii_umlauts(last)
            if scanner and rnd.random() < 0.3:
                first, last = first.upper(), last.upper()
            email = p.email if rnd.random() < 0.88 else None
            if email and not protected and rnd.random() < 0.02:
                email = names.invalid_email(p.first, p.last, c.domain, rnd)
                defects.append("invalid_email")
            day = fair.start + dt.timedelta(days=names.randrange(rnd, fair.days))
            date_cell = _date_cell(day, rnd, 0.3)
            if not protected and rnd.random() < 0.008:
                date_cell = german_date(day.replace(year=day.year + 2))  # typo in the year
                if day.replace(year=day.year + 2) > u.as_of:
                    defects.append("future_date")
            if not protected and not duplicate and rnd.random() < 0.015:
                last = None
                defects.append("missing_last_name")
            elif not protected and not duplicate and rnd.random() < 0.005:
                company = None
                defects.append("missing_company_name")
            row = [company, first, last,
                   names.JOB_ABBREVIATIONS.get(p.job_title, p.job_title) if rnd.random() < 0.8 else None,
                   email, _phone(c, p, rnd) if rnd.random() < 0.6 else None,
                   _postcode_cell(c, rnd, 0.2) if rnd.random() < 0.85 else None,
                   c.city if rnd.random() < 0.85 else names.city_variant(c.city, rnd, CITY_ALIASES),
                   names.choice(rnd, LAND_TEXT[c.country]) or None, fair.name, date_cell,
                   ", ".join(sorted(rnd.sample(INTERESTS, rnd.randint(1, 2)))) if rnd.random() < 0.8 else None]
            r0 = book.write(row)
            key = book.key(r0)
            truth.record("excel_trade_fair", key, c.tid, defects)
            truth.person("excel_trade_fair", key, p.pid, c.tid)
            if company:
                truth.note_spelling(c.idx, "excel_trade_fair", key, company)
            total += 1
        book.close([32, 14, 16, 24, 32, 20, 8, 18, 12, 22, 12, 30])
    return total


# ----------------------------------------------------------------------------- service visits
def service_visits(ctx: ExcelContext) -> tuple[int, dict]:
    u, rnd, rng, truth, erp = ctx.u, ctx.rnd, ctx.rng, ctx.truth, ctx.erp
    planted = u.planted
    A = ctx.A
    first_day = day_of(dt.date(u.as_of.year - 1, 1, 1))
    span = A - first_day + 1
    rate = {"KEY": 1.5, "STANDARD": 0.3, "SMALL": 0.08}  # visits per customer and year
    visits: list[tuple[int, int, int]] = []  # (day, company idx, kind 0 normal / 1 planted)
    for k, c_idx in enumerate(erp.debtor_company.tolist()):
        if erp.debtor_is_duplicate[k] or c_idx == planted.hidden_champion:
            continue
        t = int(erp.debtor_type[k])
        if t == DORMANT:
            continue
        lam = rate[erp.debtor_segment[k]] * span / 365 * (0.2 if t == LOST else 1.0)
        count = int(rng.poisson(lam))
        if c_idx == planted.five_spellings:
            count = max(count, 1)
        lo = max(first_day, int(erp.debtor_created[k]))
        hi = A if t != LOST else min(A, A - 600)
        if hi < lo:
            continue
        for _ in range(count):
            visits.append((lo + names.randrange(rnd, hi - lo + 1), c_idx, 0))
    for _ in range(26):  # the expensive key account: two long visits a month
        visits.append((A - names.randrange(rnd, 0, 360), planted.revenue_a_value_c, 1))
    planned = [v for v in visits if v[1] not in planted.all() and rnd.random() < 0.01]
    visits += [(A + names.randrange(rnd, 3, 40), c_idx, 0) for _, c_idx, _ in planned]  # planned, typed in ahead
    visits.sort()
    kinds = [v[0] for v in VISIT_TYPES]
    kind_p = [v[1] for v in VISIT_TYPES]
    total = 0
    ravc_cost = 0.0
    ravc_count = 0
    for year in (u.as_of.year - 1, u.as_of.year):
        fname = f"Servicebesuche_{year}.xlsx"
        book = Book(ctx.out / fname, "Einsätze", u.as_of, "service@example.com")
        book.write(list(SERVICE_HEADER), bold=True)
        sum_hours = 0.0
        sum_cost = 0.0
        for day, c_idx, planted_kind in visits:
            d = date_of(day)
            if d.year != year:
                continue
            c = u.companies[c_idx]
            protected = c_idx in planted.all()
            defects: list[str] = []
            if day > A:
                defects.append("future_date")
            kind = rnd.choices(kinds, kind_p)[0]
            lo_h, hi_h = next((v[2], v[3]) for v in VISIT_TYPES if v[0] == kind)
            hours = round(rnd.uniform(lo_h, hi_h) * 2) / 2
            if planted_kind:
                kind = names.choice(rnd, ("Reparatur", "Reparatur", "Support", "Wartung"))
                hours = round(rnd.uniform(10, 18) * 2) / 2
            cost = round(hours * names.choice(rnd, (95.0, 115.0)) + names.choice(rnd, (0, 45, 90, 180, 250)), 2)
            if planted_kind:
                cost = round(cost + rnd.uniform(800, 2500), 2)  # spare parts on site, free of charge
            tech = names.choice(rnd, u.technicians)
            name = _company_name(ctx, c, "excel_service_visits", 0.5, 0.2)
            debtor = ctx.any_debtor(c)
            debtor_cell = None
            if debtor and (rnd.random() < 0.9 or protected):
                debtor_cell = debtor if rnd.random() < 0.5 else int(debtor)
            date_cell = _date_cell(d, rnd, 0.3)
            cost_cell: object = cost if rnd.random() < 0.5 else german_amount(cost, rnd)
            hours_cell: object = hours if rnd.random() < 0.9 else f"{hours:.1f}".replace(".", ",")
            if not protected and day <= A:
                r = rnd.random()
                if r < 0.01:
                    cost_cell = names.choice(rnd, ("n/a", "folgt", "k.A."))
                    defects.append("invalid_cost")
                elif r < 0.013:
                    date_cell = names.choice(rnd, ("31.02." + str(year), "00.00.0000", "Q3"))
                    defects.append("invalid_visit_date")
                elif r < 0.018 and debtor_cell:
                    name = None
                    defects.append("missing_company_name")
            if c_idx == planted.revenue_a_value_c and day > A - 365:
                ravc_cost += cost
                ravc_count += 1
            row = [name, debtor_cell, date_cell, f"{tech.first[0]}. {tech.last}", kind, hours_cell, cost_cell]
            r0 = book.write(row, money_cols=(6,))
            key = book.key(r0)
            truth.record("excel_service_visits", key, c.tid, defects)
            if name:
                truth.note_spelling(c.idx, "excel_service_visits", key, name)
            if "invalid_cost" not in defects:
                sum_cost += cost
            sum_hours += hours
            total += 1
        book.write(["Summe", None, None, None, None, round(sum_hours, 1), round(sum_cost, 2)], bold=True, money_cols=(6,))
        book.close([32, 14, 12, 14, 16, 9, 14])
    return total, {"service_visits_12m": ravc_count, "service_cost_12m": f"{ravc_cost:.2f}"}


# ----------------------------------------------------------------------------- referrals
def referrals(ctx: ExcelContext) -> tuple[int, list[dict]]:
    u, rnd, truth, erp = ctx.u, ctx.rnd, ctx.truth, ctx.erp
    planted = u.planted
    A = ctx.A
    main = {int(erp.debtor_company[k]): k for k in range(len(erp.debtor_no)) if not erp.debtor_is_duplicate[k]}
    referrers = [c for c, k in sorted(main.items())
                 if int(erp.debtor_type[k]) not in (LOST, DORMANT) and c not in planted.all()]
    new_customers = [c for c, k in sorted(main.items()) if int(erp.debtor_type[k]) == NEW and
                     int(erp.debtor_created[k]) > A - 900 and c not in planted.all()]
    prospects = [c.idx for c in u.companies if not c.is_erp and c.idx not in planted.all()]
    entries: list[tuple[int, int, int, str]] = []  # (day, referrer, referred, status)
    for c_idx in planted.hidden_champion_referred:
        created = int(erp.debtor_created[main[c_idx]])
        entries.append((created - names.randrange(rnd, 20, 120), planted.hidden_champion, c_idx, "Kunde geworden"))
    n = max(5, round(0.035 * len(u.companies)))
    rnd.shuffle(new_customers)

    def referrer_before(day: int, referred: int) -> int | None:
        """A customer who already bought from us on `day` (a few tries)."""
        for _ in range(10):
            c = names.choice(rnd, referrers)
            if c != referred and int(erp.debtor_created[main[c]]) < day - 30:
                return c
        return None

    for _ in range(n):
        if not referrers:
            break
        if new_customers and rnd.random() < 0.4:
            referred = new_customers.pop()
            day = int(erp.debtor_created[main[referred]]) - names.randrange(rnd, 20, 150)
            status = "Kunde geworden"
        elif prospects:
            referred = names.choice(rnd, prospects)
            day = A - names.randrange(rnd, 5, 540)
            status = names.choice(rnd, STATUS_OPEN)
        else:
            continue
        referrer = referrer_before(day, referred)
        if referrer is not None:
            entries.append((day, referrer, referred, status))
    entries.sort()
    book = Book(ctx.out / "Empfehlungen.xlsx", "Empfehlungen", u.as_of, "kam@example.com")
    book.write(list(REFERRAL_HEADER), bold=True)
    hc_rows = []
    for day, referrer, referred, status in entries:
        rc, fc = u.companies[referrer], u.companies[referred]
        defects: list[str] = []
        debtor = ctx.main_debtor(rc)
        debtor_cell = (debtor if rnd.random() < 0.6 else int(debtor)) if debtor and rnd.random() < 0.85 else None
        if referrer == planted.hidden_champion:
            debtor_cell = debtor
        referred_name = _company_name(ctx, fc, "excel_referrals", 0.6, 0.2)
        if referrer != planted.hidden_champion and rnd.random() < 0.01:
            referred_name = None
            defects.append("missing_referred_company")
        row = [_company_name(ctx, rc, "excel_referrals", 0.6, 0.2), debtor_cell, referred_name,
               _postcode_cell(fc, rnd, 0.3) if rnd.random() < 0.8 else None,
               fc.city if rnd.random() < 0.9 else names.city_variant(fc.city, rnd, CITY_ALIASES),
               _date_cell(date_of(day), rnd, 0.5), status]
        r0 = book.write(row)
        key = book.key(r0)
        truth.record("excel_referrals", key, fc.tid, defects)
        if referrer == planted.hidden_champion:
            hc_rows.append({"record_key": key, "referred_true_company_id": fc.tid,
                            "referred_debtor_no": ctx.main_debtor(fc), "referral_date": date_of(day).isoformat(),
                            "status": status})
    book.close([32, 12, 32, 8, 18, 12, 16])
    return len(entries), hc_rows


# ----------------------------------------------------------------------------- Christmas cards
def christmas_cards(ctx: ExcelContext) -> int:
    u, rnd, truth, erp = ctx.u, ctx.rnd, ctx.truth, ctx.erp
    planted = u.planted
    chosen: list[int] = []
    for c in u.companies:
        t = _customer_type(ctx, c)
        if c.idx == planted.five_spellings:
            chosen.append(c.persons[0])
            continue
        if t is None:
            if c.persons and rnd.random() < 0.05:
                chosen.append(c.persons[0])
            continue
        if t in (LOST, DORMANT) and rnd.random() < 0.6:
            continue  # the assistant still has some of them on the list
        if rnd.random() < 0.3:
            chosen.append(c.persons[0])
            if len(c.persons) > 1 and rnd.random() < 0.25:
                chosen.append(c.persons[1])
    entries = [(names.ascii_umlauts(u.companies[u.persons[p].company].base).casefold(), p, False) for p in chosen]
    entries.sort()
    rows = [(p, dup) for _, p, dup in entries]
    for p in [p for p in chosen if u.persons[p].company not in planted.all() and rnd.random() < 0.06]:
        rows.insert(names.randrange(rnd, len(rows) + 1), (p, True))
    book = Book(ctx.out / "Weihnachtskarten.xlsx", "Adressen", u.as_of, "assistenz@example.com")
    book.write(list(CHRISTMAS_HEADER), bold=True)
    for p_idx, duplicate in rows:
        p = u.persons[p_idx]
        c = u.companies[p.company]
        protected = c.idx in planted.all()
        defects: list[str] = ["duplicate_row"] if duplicate else []
        company = _company_name(ctx, c, "excel_christmas_cards", 0.2, 0.25)
        first, last, street = p.first, p.last, c.street
        if duplicate:
            first, last = names.ascii_umlauts(first), names.ascii_umlauts(last)
            street = names.street_variant(street, rnd)
        elif rnd.random() < 0.2:
            street = names.street_variant(street, rnd)
        salutation = ("Frau" if p.female else "Herr") + (f" {p.title}" if p.title else "")
        if not protected and not duplicate and rnd.random() < 0.01:
            company = None
            defects.append("missing_company_name")
        postcode = _postcode_cell(c, rnd, 0.3)
        if not protected and rnd.random() < 0.008:
            postcode = names.choice(rnd, ("ABCDE", "1234" if c.country == "DE" else "12"))
            defects.append("invalid_postcode")
        row = [company, salutation if rnd.random() < 0.95 else None, first, last, street, postcode,
               c.city if rnd.random() < 0.9 else names.city_variant(c.city, rnd, CITY_ALIASES),
               names.choice(rnd, LAND_TEXT[c.country]) or None]
        r0 = book.write(row)
        key = book.key(r0)
        truth.record("excel_christmas_cards", key, c.tid, defects)
        truth.person("excel_christmas_cards", key, p.pid, c.tid)
        if company:
            truth.note_spelling(c.idx, "excel_christmas_cards", key, company)
    book.close([32, 10, 14, 18, 28, 8, 20, 12])
    return len(rows)


def build_excel(u: Universe, erp: ErpData, truth: Truth, out_dir: Path) -> tuple[dict[str, int], dict]:
    excel_dir = out_dir / "excel"
    excel_dir.mkdir(parents=True, exist_ok=True)
    for old in excel_dir.glob("*.xlsx"):
        old.unlink()
    ctx = ExcelContext(u, erp, truth, excel_dir, random.Random(u.seed * 7919 + 5),
                       np.random.default_rng([u.seed, 5]), day_of(u.as_of))
    counts = {"excel_field_sales": field_sales(ctx)}
    counts["excel_trade_fair"] = trade_fairs(ctx)
    counts["excel_service_visits"], service_facts = service_visits(ctx)
    counts["excel_referrals"], hc_referrals = referrals(ctx)
    counts["excel_christmas_cards"] = christmas_cards(ctx)
    counts["excel_files"] = len(list(excel_dir.glob("*.xlsx")))
    return counts, {"service": service_facts, "hidden_champion_referrals": hc_referrals}
