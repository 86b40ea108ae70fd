from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from resolution import normalise as n


@pytest.mark.parametrize(
    "raw",
    [
        "Müller Maschinenbau GmbH",
        "Mueller Maschinenbau Gmbh",
        "MÜLLER  MASCHINENBAU G.m.b.H.",
        "Müller Maschinenbau GmbH & Co. KG",
        "Mueller Maschinenbau GmbH und Co KG",
        " müller maschinenbau ag ",
        "Müller Maschinenbau UG (haftungsbeschränkt)",
    ],
)
def test_company_name_variants_collapse(raw):
    assert n.company_name(raw) == "mueller maschinenbau"


def test_company_name_keeps_meaningful_ampersand_and_other_forms():
    assert n.company_name("Weiß & Söhne KG") == n.company_name("Weiss und Soehne KG") == "weiss soehne"
    assert n.company_name("Alpen Technik S.A.R.L.") == "alpen technik"
    assert n.company_name("Kraft e.K.") == "kraft"
    assert n.company_name("AG") == "ag"  # a name that is only a legal form is kept
    assert n.name_tokens("Weiß & Söhne GmbH & Co. KG") == ["weiss", "soehne"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hauptstr. 5a", ("hauptstrasse", "5a")),
        ("Hauptstraße 5 a", ("hauptstrasse", "5a")),
        ("Hauptstrasse 5A", ("hauptstrasse", "5a")),
        ("Am Ring 3-5", ("am ring", "3-5")),
        ("Industriestr.", ("industriestrasse", None)),
        ("", (None, None)),
    ],
)
def test_street(raw, expected):
    assert n.street(raw) == expected


def test_postcodes_per_country():
    assert n.postcode("1067", "DE") == "01067"
    assert n.postcode("D-80331") == "80331"
    assert n.postcode("1010", "AT") == "1010"
    assert n.postcode("ABCDE", "DE") is None
    assert n.postcode("80331", "CH") is None


def test_phone_email_domain_vat_country():
    assert n.phone_e164("0711 / 123 456", "DE") == "+49711123456"
    assert n.phone_e164("+43 1 234567", "DE") == "+431234567"
    assert n.phone_e164("n/a") is None
    assert n.email(" Info@Mueller-GmbH.de ") == "info@mueller-gmbh.de"
    assert n.email("info(at)firma.de") == "info@firma.de"
    assert n.email("max.mustermann@") is None
    assert n.email_domain("max@mueller-gmbh.de") == "mueller-gmbh.de"
    assert n.email_domain("max.mueller@gmx.de") is None  # free mail is no company evidence
    assert n.web_domain("https://www.mueller-gmbh.de/kontakt") == "mueller-gmbh.de"
    assert n.vat_id("DE 123 456 789") == "DE123456789"
    assert n.vat_id("CHE-123.456.789 MWST") == "CHE123456789"
    assert n.vat_id("ATU12345678") == "ATU12345678"
    assert n.vat_id("unknown") is None
    assert n.country("Österreich") == "AT" and n.country("Deutschland") == "DE" and n.country("xx") is None


@given(st.one_of(st.none(), st.text(max_size=2000)))
def test_never_raises_on_any_text(text):
    n.company_name(text)
    n.street(text)
    n.postcode(text)
    n.phone_e164(text)
    n.email_domain(text)
    n.vat_id(text)
    n.country(text)
    assert n.company_name("株式会社 東京") is not None
