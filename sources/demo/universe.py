"""The true world behind the sources: companies, their people, the sales organisation
(territories and reps) and the companies chosen for the planted facts.

Nothing here is written to a source directly; erp.py, crm.py and excel.py render it, each
with the spellings and gaps of its source, and truth.py writes the answer key.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np

from . import names, places
from .places import City

SIZE_CLASSES = (("S", 0.40, 10, 49, 0.4), ("M", 0.40, 50, 249, 1.0), ("L", 0.15, 250, 999, 2.5),
                ("XL", 0.05, 1000, 5000, 5.0))
PERSONS_PER_SIZE = {"S": (1, 3), "M": (2, 4), "L": (3, 6), "XL": (4, 6)}
OWN_DOMAIN = "example.com"  # the manufacturer's own mail domain (sales reps, technicians)


@dataclass(slots=True)
class Company:
    idx: int
    tid: str
    base: str
    form: str
    country: str
    region: str
    city: str
    postcode: str
    street: str
    area: str
    phone_number: str
    domain: str
    email_style: int
    vat_id: str | None
    industry: str
    size_class: str
    employees: int
    scale: float
    french: bool = False
    territory: int = -1
    is_erp: bool = False
    in_crm: bool = False
    persons: list[int] = field(default_factory=list)

    @property
    def legal_name(self) -> str:
        return f"{self.base} {self.form}"


@dataclass(slots=True)
class Person:
    idx: int
    pid: str
    company: int
    female: bool
    first: str
    last: str
    title: str
    job_title: str
    role: str
    email: str
    extension: str
    freemail: bool


@dataclass(slots=True)
class Rep:
    first: str
    last: str
    email: str
    kind: str  # field, inside, marketing, service

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(slots=True)
class Territory:
    idx: int
    region: str
    part: int  # 1 for the region's first territory, 2.. for splits
    rep: Rep
    workbook: str | None = None  # file name if the rep keeps a workbook
    layout: int = 0
    companies: list[int] = field(default_factory=list)

    @property
    def title(self) -> str:
        base = places.REGION_TITLE[self.region]
        return base if self.part == 1 else f"{base} {self.part}"


@dataclass
class Planted:
    """Companies (indices) that carry the planted facts."""

    revenue_a_value_c: int
    hidden_champion: int
    hidden_champion_referred: list[int]
    lost_customer: int
    at_risk_customer: int
    prospect: int
    five_spellings: int
    over_contacted: int
    same_name_pairs: list[tuple[int, int]]

    def all(self) -> set[int]:
        return {self.revenue_a_value_c, self.hidden_champion, *self.hidden_champion_referred,
                self.lost_customer, self.at_risk_customer, self.prospect, self.five_spellings,
                self.over_contacted}


@dataclass(frozen=True)
class Volumes:
    """How much data per company; the defaults are the demo's (benchmarks raise them to hit
    named volumes, e.g. 100,000 leads for 50,000 customers)."""

    order_lines_per_customer: float = 20.0
    leads_per_crm_company: float = 2.0  # Poisson mean per CRM company
    field_sales_workbooks: int | None = None  # None: one per 1,500 customers, 2 to 40


@dataclass
class Universe:
    as_of: dt.date
    seed: int
    companies: list[Company]
    persons: list[Person]
    territories: list[Territory]
    inside_reps: list[Rep]
    marketing: list[Rep]
    technicians: list[Rep]
    planted: Planted
    volumes: Volumes = Volumes()

    @property
    def field_reps(self) -> list[Rep]:
        return [t.rep for t in self.territories]

    def rep_of(self, company: Company) -> Rep:
        return self.territories[company.territory].rep


def field_sales_workbook_count(customers: int) -> int:
    return max(2, min(40, customers // 1500))


# ---------------------------------------------------------------------------- helpers
class _Picker:
    """Fast weighted choice from a fixed list (the hot loops call it ~10^6 times)."""

    def __init__(self, items, weights=None):
        self.items = list(items)
        weights = list(weights) if weights is not None else [1.0] * len(self.items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rnd: random.Random):
        return self.items[bisect_right(self.cum, rnd.random() * self.total)]


def _choice(rnd: random.Random, seq):
    return seq[int(rnd.random() * len(seq))]


def _randint(rnd: random.Random, lo: int, hi: int) -> int:
    return lo + int(rnd.random() * (hi - lo + 1))


def de_vat(rnd: random.Random) -> str:
    """German VAT ID with a valid ISO 7064 MOD 11,10 check digit."""
    digits = [int(ch) for ch in str(_randint(rnd, 10_000_000, 99_999_999))]
    product = 10
    for d in digits:
        total = (d + product) % 10 or 10
        product = (2 * total) % 11
    check = (11 - product) % 10
    return "DE" + "".join(map(str, digits)) + str(check)


def ch_uid(rnd: random.Random) -> str:
    """Swiss UID (CHE-123.456.789 MWST) with a valid mod-11 check digit."""
    weights = (5, 4, 3, 2, 7, 6, 5, 4)
    while True:
        digits = [int(ch) for ch in str(_randint(rnd, 10_000_000, 99_999_999))]
        check = 11 - sum(w * d for w, d in zip(weights, digits)) % 11
        if check == 10:
            continue
        check %= 11
        s = "".join(map(str, digits)) + str(check)
        return f"CHE-{s[0:3]}.{s[3:6]}.{s[6:9]} MWST"


def at_uid(rnd: random.Random) -> str:
    return f"ATU{_randint(rnd, 0, 99_999_999):08d}"


def _make_rep(rnd: random.Random, kind: str, used: set[str]) -> Rep:
    while True:
        female = rnd.random() < 0.35
        first = _choice(rnd, names.FIRST_FEMALE if female else names.FIRST_MALE)
        last = _choice(rnd, names.SURNAMES)
        email = f"{names.email_local(first)}.{names.email_local(last)}@{OWN_DOMAIN}"
        if email not in used and first != last:
            used.add(email)
            return Rep(first, last, email, kind)


def _base_name(rnd: random.Random, industry: str) -> tuple[str, str]:
    """(base name, pattern) of a company."""
    words = names.INDUSTRY_WORDS[industry]
    r = rnd.random()
    sur = _choice(rnd, names.SURNAMES)
    if r < 0.30:
        return f"{sur} {_choice(rnd, words)}", "surname"
    if r < 0.55:
        return f"{_choice(rnd, names.STEMS)} {_choice(rnd, words)}", "stem"
    if r < 0.61:
        return f"{sur} & Söhne", "family"
    if r < 0.71:
        other = _choice(rnd, names.SURNAMES)
        while other == sur:
            other = _choice(rnd, names.SURNAMES)
        return f"{sur} & {other} {_choice(rnd, words)}", "family"
    if r < 0.81:
        first = _choice(rnd, names.FIRST_MALE if rnd.random() < 0.8 else names.FIRST_FEMALE)
        if first != sur:
            return f"{first} {sur} {_choice(rnd, words)}", "surname"
    if r < 0.89:
        letters = "".join(_choice(rnd, "ABDEFGHKLMNPRSTW") for _ in range(_choice(rnd, (2, 3, 3))))
        return f"{letters} {_choice(rnd, words)}", "acronym"
    return f"{_choice(rnd, words)} {sur}", "surname"


_FORM_PICKERS = {
    key: _Picker([f for f, _ in table], [w for _, w in table])
    for key, table in (("DE", names.LEGAL_FORMS_DE), ("AT", names.LEGAL_FORMS_AT),
                       ("CH", names.LEGAL_FORMS_CH), ("CH-FR", names.LEGAL_FORMS_CH_FR))
}


def _legal_form(rnd: random.Random, country: str, french: bool, pattern: str) -> str:
    if country == "DE" and pattern == "family" and rnd.random() < 0.5:
        return _choice(rnd, ("KG", "GmbH & Co. KG", "OHG"))
    form = _FORM_PICKERS["CH-FR" if french else country](rnd)
    if form == "e.K." and pattern not in ("surname", "family"):
        form = "GmbH"
    return form


def _name_key(base: str) -> str:
    return names.email_local(base)


# ---------------------------------------------------------------------------- build
def build_universe(customers: int, seed: int, as_of: dt.date, volumes: Volumes = Volumes()) -> Universe:
    rnd = random.Random(seed * 7919 + 1)
    nprng = np.random.default_rng([seed, 1])

    # -- territories and reps
    used_emails: set[str] = set()
    workbooks = volumes.field_sales_workbooks or field_sales_workbook_count(customers)
    territory_regions: list[tuple[str, int]] = [(r, 1) for r in places.REGIONS]
    parts = {r: 1 for r in places.REGIONS}
    while len(territory_regions) < workbooks:
        # a further territory splits the region with the most companies per territory
        region = max(places.REGIONS, key=lambda r: (places.REGION_SHARE[r] / parts[r], r))
        parts[region] += 1
        territory_regions.append((region, parts[region]))
    territories = [
        Territory(i, region, part, _make_rep(rnd, "field", used_emails))
        for i, (region, part) in enumerate(territory_regions)
    ]
    for i, terr in enumerate(territories[:workbooks]):
        suffix = places.REGION_FILE[terr.region] + ("" if terr.part == 1 else f"_{terr.part}")
        terr.workbook = f"Aussendienst_{suffix}.xlsx"
        terr.layout = i % 4
    inside = [_make_rep(rnd, "inside", used_emails) for _ in range(3 + customers // 10000)]
    marketing = [_make_rep(rnd, "marketing", used_emails) for _ in range(2 + customers // 20000)]
    technicians = [_make_rep(rnd, "service", used_emails) for _ in range(6 + customers // 4000)]

    # -- companies
    cities_by_region: dict[str, list[City]] = {r: [] for r in places.REGIONS}
    for city in places.CITIES:
        cities_by_region[city.region].append(city)
    regions = list(places.REGION_SHARE)
    region_weights = [places.REGION_SHARE[r] for r in regions]
    industries = list(names.INDUSTRY_SHARE)
    industry_weights = [names.INDUSTRY_SHARE[i] for i in industries]
    size_names = [s[0] for s in SIZE_CLASSES]
    size_weights = [s[1] for s in SIZE_CLASSES]
    size_info = {s[0]: s for s in SIZE_CLASSES}
    scale_noise = nprng.lognormal(0.0, 0.8, size=customers)

    seen_names: set[str] = set()
    seen_domains: set[str] = set()
    companies: list[Company] = []
    region_pick = _Picker(regions, region_weights)
    city_pick = {r: _Picker(pool, [c.weight for c in pool]) for r, pool in cities_by_region.items()}
    industry_pick = _Picker(industries, industry_weights)
    size_pick = _Picker(size_names, size_weights)
    style_pick = _Picker([0, 1, 2, 3], [0.6, 0.25, 0.1, 0.05])
    vat_of = {"DE": de_vat, "AT": at_uid, "CH": ch_uid}
    for i in range(customers):
        region = region_pick(rnd)
        city = city_pick[region](rnd)
        industry = industry_pick(rnd)
        for _ in range(200):
            base, pattern = _base_name(rnd, industry)
            if _name_key(base) not in seen_names:
                break
        seen_names.add(_name_key(base))
        form = _legal_form(rnd, city.country, city.french, pattern)
        size = size_pick(rnd)
        _, _, lo, hi, factor = size_info[size]
        number = _randint(rnd, 1, 180)
        house = f"{number}{_choice(rnd, 'abc')}" if rnd.random() < 0.1 else str(number)
        street_name = _choice(rnd, places.streets_for(city))
        street = f"{house}, {street_name}" if city.french else f"{street_name} {house}"
        digits = max(4, 9 - len(city.area_code))
        phone_number = f"{_randint(rnd, 10 ** (digits - 1), 10 ** digits - 1)}-0"
        tld = {"DE": "de", "AT": "at", "CH": "ch"}[city.country]
        domain = f"{names.slug(base)}.{tld}"
        if domain in seen_domains:
            domain = f"{names.slug(base)}-{names.slug(city.name)}.{tld}"
        while domain in seen_domains:
            domain = f"{names.slug(base)}{_randint(rnd, 2, 99)}.{tld}"
        seen_domains.add(domain)
        companies.append(Company(
            idx=i, tid=f"T{i + 1:06d}", base=base, form=form, country=city.country,
            region=region, city=city.name, postcode=_choice(rnd, city.postcodes), street=street,
            area=city.area_code, phone_number=phone_number, domain=domain,
            email_style=style_pick(rnd), vat_id=vat_of[city.country](rnd),
            industry=industry, size_class=size, employees=_randint(rnd, lo, hi),
            scale=float(scale_noise[i] * factor), french=city.french,
        ))

    # A few companies share their name with another company elsewhere (realistic; they
    # must not be merged).
    same_name_pairs: list[tuple[int, int]] = []
    for _ in range(max(2, customers // 200)):
        a, b = rnd.sample(range(customers), 2)
        ca, cb = companies[a], companies[b]
        if ca.city == cb.city or any(a in p or b in p for p in same_name_pairs):
            continue
        cb.base = ca.base
        if cb.country == ca.country:
            cb.form = ca.form
        tld = cb.domain.rsplit(".", 1)[1]
        domain = f"{names.slug(cb.base)}-{names.slug(cb.city)}.{tld}"
        while domain in seen_domains:
            domain = f"{names.slug(cb.base)}-{rnd.randint(2, 99)}.{tld}"
        seen_domains.add(domain)
        cb.domain = domain
        same_name_pairs.append((a, b))

    # -- territories: split a region's companies by postcode into contiguous parts
    by_region: dict[str, list[int]] = {r: [] for r in places.REGIONS}
    for c in companies:
        by_region[c.region].append(c.idx)
    for region in places.REGIONS:
        terrs = [t for t in territories if t.region == region]
        members = sorted(by_region[region], key=lambda i: (companies[i].postcode, i))
        for k, terr in enumerate(terrs):
            chunk = members[k * len(members) // len(terrs):(k + 1) * len(members) // len(terrs)]
            terr.companies = chunk
            for i in chunk:
                companies[i].territory = terr.idx

    # -- presence in ERP and CRM
    for c in companies:
        c.is_erp = rnd.random() < 0.80
        c.in_crm = rnd.random() < 0.90

    # -- people
    persons: list[Person] = []
    deciders = [j for j in names.JOB_TITLES if j[2] == "decision_maker"][:4]
    purchasers = [j for j in names.JOB_TITLES if j[2] == "purchaser"]
    freemail_pool = {"DE": names.FREEMAIL_DE, "AT": names.FREEMAIL_AT, "CH": names.FREEMAIL_CH}
    for c in companies:
        lo, hi = PERSONS_PER_SIZE[c.size_class]
        count = _randint(rnd, lo, hi)
        seen_people: set[tuple[str, str]] = set()
        for k in range(count):
            female = rnd.random() < 0.32
            first = _choice(rnd, names.FIRST_FEMALE if female else names.FIRST_MALE)
            last = _choice(rnd, names.SURNAMES)
            while (first, last) in seen_people or first == last:
                last = _choice(rnd, names.SURNAMES)
            seen_people.add((first, last))
            job = _choice(rnd, deciders if k == 0 else purchasers if k == 1 else names.JOB_TITLES)
            title = _choice(rnd, names.TITLES) if rnd.random() < 0.06 else ""
            freemail = rnd.random() < (0.15 if c.size_class == "S" else 0.05)
            fl, ll = names.email_local(first), names.email_local(last)
            if freemail:
                suffix = str(_randint(rnd, 1, 99)) if rnd.random() < 0.5 else ""
                email = f"{fl}.{ll}{suffix}@{_choice(rnd, freemail_pool[c.country])}"
            else:
                local = (f"{fl}.{ll}", f"{fl[0]}.{ll}", ll, f"{fl}{ll}")[c.email_style]
                email = f"{local}@{c.domain}"
            p = Person(
                idx=len(persons), pid=f"P{len(persons) + 1:07d}", company=c.idx, female=female,
                first=first, last=last, title=title, job_title=job[1] if female else job[0],
                role=job[2], email=email, extension=str(_randint(rnd, 10, 399)), freemail=freemail,
            )
            c.persons.append(p.idx)
            persons.append(p)
    # E-mails must identify one person: a clash (same local part at one domain) gets a digit.
    seen_mail: set[str] = set()
    for p in persons:
        while p.email in seen_mail:
            local, domain = p.email.split("@")
            p.email = f"{local}{rnd.randint(2, 9)}@{domain}"
        seen_mail.add(p.email)

    planted = _plant(companies, territories, rnd, same_name_pairs)
    return Universe(as_of, seed, companies, persons, territories, inside, marketing, technicians, planted, volumes)


def _plant(companies: list[Company], territories: list[Territory], rnd: random.Random,
           same_name_pairs: list[tuple[int, int]]) -> Planted:
    """Choose the companies that carry the planted facts and set what they need."""
    taken: set[int] = {i for pair in same_name_pairs for i in pair}

    def pick(pred, prefer=None) -> int:
        candidates = [c.idx for c in companies if c.idx not in taken and pred(c)]
        if prefer:
            preferred = [i for i in candidates if prefer(companies[i])]
            candidates = preferred or candidates
        if not candidates:
            candidates = [c.idx for c in companies if c.idx not in taken]
        choice = rnd.choice(candidates)
        taken.add(choice)
        return choice

    with_workbook = {t.idx for t in territories if t.workbook}
    in_book = lambda c: c.territory in with_workbook and c.country == "DE"  # noqa: E731

    ravc = pick(lambda c: in_book(c) and c.size_class in ("L", "XL"), prefer=lambda c: c.form == "AG" or c.form == "GmbH")
    hc = pick(lambda c: in_book(c) and c.size_class in ("S", "M"))
    five = pick(lambda c: in_book(c) and c.form == "GmbH" and names.has_umlaut(c.base) and " & " not in c.base,
                prefer=lambda c: c.base.split()[0] in names.SURNAMES)
    prospect = pick(lambda c: in_book(c))
    lost = pick(lambda c: True)
    at_risk = pick(lambda c: c.size_class != "S")
    over = pick(lambda c: c.country == "DE")
    referred = [pick(lambda c: c.country == "DE") for _ in range(4)]

    for i in (ravc, hc, five, lost, at_risk, over, *referred):
        companies[i].is_erp = True
    companies[prospect].is_erp = False
    for i in (ravc, five, over, prospect, at_risk):
        companies[i].in_crm = True
    big = companies[ravc]
    big.size_class = "XL" if big.size_class == "XL" else "L"
    big.employees = max(big.employees, 800)
    big.scale = max(big.scale, 8.0)
    companies[hc].scale = 0.5
    companies[at_risk].scale = max(companies[at_risk].scale, 1.5)
    companies[lost].scale = max(companies[lost].scale, 1.0)
    return Planted(
        revenue_a_value_c=ravc, hidden_champion=hc, hidden_champion_referred=referred,
        lost_customer=lost, at_risk_customer=at_risk, prospect=prospect, five_spellings=five,
        over_contacted=over, same_name_pairs=same_name_pairs,
    )
