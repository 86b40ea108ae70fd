"""Trade fairs and marketing campaigns, all derived from the as-of date so that no event
lies in the future of the data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Fair:
    key: str  # "hannover" or "sps"
    name: str  # "Hannover Messe 2025"
    campaign: str  # campaign name in the CRM
    city: str
    start: dt.date
    days: int

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)


def hannover_messe(year: int) -> Fair:
    start = dt.date(year, 3, 30)
    while start.weekday() != 0:  # the Monday on or after 30 March
        start += dt.timedelta(days=1)
    return Fair("hannover", f"Hannover Messe {year}", f"Hannover Messe {year}", "Hannover", start, 5)


def sps(year: int) -> Fair:
    first = dt.date(year, 11, 1)
    first_tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    return Fair("sps", f"SPS {year}", f"SPS {year}", "Nürnberg", first_tuesday + dt.timedelta(days=7), 3)


def excel_fairs(as_of: dt.date) -> list[Fair]:
    """The two fairs whose contact lists exist as workbooks (Messe_Hannover_<y>, Messe_SPS_<y>)."""
    return [hannover_messe(as_of.year - 1), sps(as_of.year - 2)]


def fairs_between(first: dt.date, last: dt.date) -> list[Fair]:
    fairs = []
    for year in range(first.year - 1, last.year + 1):
        for fair in (hannover_messe(year), sps(year)):
            if first <= fair.end and fair.end + dt.timedelta(days=10) <= last:
                fairs.append(fair)
    return sorted(fairs, key=lambda f: f.start)


WEBINARS = ("Webinar Predictive Maintenance", "Webinar Antriebstechnik kompakt",
            "Webinar Retrofit statt Neukauf", "Webinar Energieeffizienz in der Fertigung")
WEBSITE = ("Website Kontaktformular", "Website Produktkonfigurator", "Google Ads {y}")
PARTNER = ("Partnerprogramm Systemintegratoren", "Distributor-Leads {y}")


def quarter(d: dt.date) -> str:
    return f"Q{(d.month - 1) // 3 + 1} {d.year}"
