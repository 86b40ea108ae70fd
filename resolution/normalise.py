"""Normalisation of company and contact attributes before matching.

Every function takes raw text (or None) and returns a normalised value or None; none raises
on odd input (empty, very long, non-Latin text)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import phonenumbers
import yaml

CONFIG_PATH = Path(__file__).with_name("config.yaml")
MAX_LENGTH = 500

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa"})
_STREET_SUFFIX = re.compile(r"(str\.|strasse|straße|str\b)", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"^(?P<street>.*?)[\s,]*(?P<number>\d+\s*[a-zA-Z]?(\s*[-/]\s*\d+\s*[a-zA-Z]?)?)\s*$")


@lru_cache(maxsize=1)
def config() -> dict:
    with open(CONFIG_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def _legal_form_pattern() -> re.Pattern[str]:
    forms = sorted(config()["legal_forms"], key=len, reverse=True)
    alternatives = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    return re.compile(rf"(?:^|\s)(?:{alternatives})(?=\s|$)")


def _clip(text: object) -> str | None:
    if text is None:
        return None
    value = str(text)[:MAX_LENGTH].strip()
    return value or None


def fold(text: object) -> str | None:
    """Lower case, umlauts and ß to their ASCII spellings, other accents stripped."""
    value = _clip(text)
    if value is None:
        return None
    value = value.casefold().translate(_FOLD)
    value = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in value if not unicodedata.combining(ch))


def company_name(text: object) -> str | None:
    """'Müller Maschinenbau G.m.b.H. & Co. KG' -> 'mueller maschinenbau'."""
    value = fold(text)
    if value is None:
        return None
    value = value.replace("+", " & ").replace(" und ", " & ")
    value = re.sub(r"[.,;:()\"'/\\-]", " ", value)
    value = re.sub(r"\s*&\s*", " & ", value)
    value = re.sub(r"\s+", " ", value).strip()
    stripped = _legal_form_pattern().sub(" ", f" {value} ")
    stripped = stripped.replace("&", " ")  # "& Söhne" and "und Söhne" are the same name
    stripped = re.sub(r"\s+", " ", stripped).strip()
    return stripped or value or None


def loose_name(text: object) -> str | None:
    """A normalised name with ae/oe/ue folded further to a/o/u and ss to s, so that
    "Schröder", "Schroeder" and "Schroder" agree."""
    name = company_name(text)
    if name is None:
        return None
    return re.sub(r"ss", "s", re.sub(r"([aou])e", r"\1", name)).replace(" ", "")


def name_tokens(text: object) -> list[str]:
    name = company_name(text)
    return [t for t in (name or "").split(" ") if t and t != "&" and t != "co"]


def street(text: object) -> tuple[str | None, str | None]:
    """'Hauptstr. 5a' -> ('hauptstrasse', '5a'); 'Am Ring 3-5' -> ('am ring', '3-5')."""
    value = fold(text)
    if value is None:
        return None, None
    value = _STREET_SUFFIX.sub("strasse", value)
    value = re.sub(r"\s+", " ", value).strip()
    match = _HOUSE_NUMBER.match(value)
    if match and match.group("street"):
        number = re.sub(r"\s+", "", match.group("number"))
        name = re.sub(r"[.,]", "", match.group("street")).strip()
        return name or None, number
    return re.sub(r"[.,]", "", value).strip() or None, None


def postcode(text: object, country: str | None = None) -> str | None:
    """Digits only; a German postcode that lost its leading zero in Excel is padded."""
    value = _clip(text)
    if value is None:
        return None
    value = re.sub(r"^(D|A|CH)\s*-\s*", "", value.upper())
    if not re.fullmatch(r"\d{4,5}", value):
        return None
    country = (country or config()["default_country"]).upper()
    if country == "DE" and len(value) == 4:
        return value.zfill(5)
    if country in {"AT", "CH"} and len(value) != 4:
        return None
    return value


_COUNTRIES = {
    "de": "DE", "d": "DE", "deu": "DE", "deutschland": "DE", "germany": "DE", "brd": "DE",
    "at": "AT", "a": "AT", "aut": "AT", "oesterreich": "AT", "osterreich": "AT", "austria": "AT",
    "ch": "CH", "che": "CH", "schweiz": "CH", "switzerland": "CH", "suisse": "CH",
}


def country(text: object) -> str | None:
    value = fold(text)
    if value is None:
        return None
    return _COUNTRIES.get(re.sub(r"[^a-z]", "", value))


def phone_e164(text: object, country_code: str | None = None) -> str | None:
    value = _clip(text)
    if value is None:
        return None
    try:
        number = phonenumbers.parse(value[:40], (country_code or config()["default_country"]).upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_EMAIL = re.compile(r"^[a-z0-9._%+'-]+@([a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,})$")


def email(text: object) -> str | None:
    value = _clip(text)
    if value is None:
        return None
    value = value.lower().replace("(at)", "@").replace("[at]", "@").replace(" ", "")
    return value if _EMAIL.match(value) else None


def email_domain(text: object) -> str | None:
    """The company domain of an e-mail; free-mail domains are no evidence of a company."""
    address = email(text)
    if address is None:
        return None
    domain = address.split("@", 1)[1]
    return None if domain in set(config()["free_mail_domains"]) else domain


def company_domain(text: object) -> str | None:
    """A web or e-mail domain that can identify a company (free-mail domains cannot)."""
    domain = web_domain(text)
    return None if domain is None or domain in set(config()["free_mail_domains"]) else domain


def web_domain(text: object) -> str | None:
    value = fold(text)
    if value is None:
        return None
    value = re.sub(r"^(https?://)?(www\.)?", "", value).split("/")[0]
    return value if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}", value) else None


_VAT = {
    "DE": re.compile(r"^DE\d{9}$"),
    "AT": re.compile(r"^ATU\d{8}$"),
    "CH": re.compile(r"^CHE\d{9}$"),
}


def vat_id(text: object) -> str | None:
    """'DE 123 456 789' -> 'DE123456789'; 'CHE-123.456.789 MWST' -> 'CHE123456789'."""
    value = _clip(text)
    if value is None:
        return None
    value = re.sub(r"(MWST|TVA|IVA|VAT)$", "", re.sub(r"[\s.\-]", "", value.upper()))
    for pattern in _VAT.values():
        if pattern.match(value):
            return value
    return value if re.fullmatch(r"[A-Z]{2}[0-9A-Z]{8,12}", value) else None
