"""The answer key in <out>/_truth/: which true company (and person) every source record
belongs to, which rows carry planted defects, and the planted facts the mart tests assert.
The pipeline never reads it."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from . import names
from .universe import Company, Universe

# Planted defects that the quality rules quarantine (severity error); the others are
# warnings or entity-resolution challenges and the row still loads.
ERROR_DEFECTS = frozenset({
    "missing_company_name", "missing_last_name", "missing_create_date", "missing_referred_company",
    "invalid_cost", "invalid_visit_date", "missing_visit_date",
})

# The spelling each source uses for the planted "five spellings" company, in order of
# preference (the first that differs from the spellings already used wins).
FIVE_SPELLING_KINDS = {
    "erp_customers": (None,),
    "crm_companies": ("ascii", "legal", "amp", "typo"),
    "excel_field_sales": ("nolegal", "space", "lower"),
    "excel_trade_fair": ("upper", "lower", "typo"),
    "excel_service_visits": ("legal_gmbh_dots", "legal", "typo", "space", "ascii_nolegal"),
    "excel_christmas_cards": ("strip", "typo", "lower", "space"),
}


class Truth:
    def __init__(self, universe: Universe) -> None:
        self.universe = universe
        self.records: list[tuple[str, str, str, int, str]] = []
        self.people: list[tuple[str, str, str, str]] = []
        self.spellings: list[dict[str, str]] = []
        self._five_used: dict[str, str] = {}

    def record(self, entity: str, key: str, tid: str, defects: list[str] | tuple[str, ...] = ()) -> None:
        defective = int(any(d in ERROR_DEFECTS for d in defects))
        self.records.append((entity, key, tid, defective, ";".join(defects)))

    def person(self, entity: str, key: str, pid: str, tid: str) -> None:
        self.people.append((entity, key, pid, tid))

    def note_spelling(self, company_idx: int, entity: str, key: str, name: str) -> None:
        if company_idx == self.universe.planted.five_spellings and name:
            self.spellings.append({"source_entity": entity, "record_key": key, "name": name})

    def five_spelling(self, company: Company, entity: str, rnd: random.Random) -> str:
        """The planted company's name as `entity` spells it: one spelling per source, all different."""
        if entity in self._five_used:
            return self._five_used[entity]
        used = set(self._five_used.values())
        candidates = [names.company_spelling(company.base, company.form, kind, rnd)
                      for kind in FIVE_SPELLING_KINDS[entity]]
        candidates += [names.company_spelling(company.base, company.form, "typo", rnd) for _ in range(20)]
        name = next((n for n in candidates if n not in used), candidates[0])
        self._five_used[entity] = name
        return name

    # ------------------------------------------------------------------ writing
    def write(self, out_dir: Path, facts: dict) -> dict[str, int]:
        truth_dir = out_dir / "_truth"
        truth_dir.mkdir(parents=True, exist_ok=True)
        with open(truth_dir / "records.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["source_entity", "record_key", "true_company_id", "is_defective", "defects"])
            writer.writerows(self.records)
        with open(truth_dir / "people.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["source_entity", "record_key", "true_person_id", "true_company_id"])
            writer.writerows(self.people)
        u = self.universe
        with open(truth_dir / "companies.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["true_company_id", "legal_name", "street", "postcode", "city", "country", "region",
                             "territory", "sales_rep", "industry_key", "size_class", "employees", "vat_id",
                             "domain", "is_erp_customer", "in_crm", "persons"])
            for c in u.companies:
                terr = u.territories[c.territory]
                writer.writerow([c.tid, c.legal_name, c.street, c.postcode, c.city, c.country, c.region,
                                 terr.title, terr.rep.email, c.industry, c.size_class, c.employees, c.vat_id,
                                 c.domain, int(c.is_erp), int(c.in_crm), len(c.persons)])
        with open(truth_dir / "planted_facts.json", "w", encoding="utf-8") as handle:
            json.dump(facts, handle, ensure_ascii=False, indent=2, sort_keys=False)
            handle.write("\n")
        return {"truth_records": len(self.records), "truth_people": len(self.people)}
