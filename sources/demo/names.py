"""Name pools (companies, people, products) and the "dirt" functions that turn a clean
value into the spellings found in real sources (GmbH/Gmbh/G.m.b.H., Müller/Mueller,
Straße/Str., double spaces, one-character typos ...).

All randomness comes from the `random.Random` passed in, so results are reproducible.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

# ---------------------------------------------------------------------------- people
FIRST_MALE = (
    "Alexander", "Andreas", "Bernd", "Christian", "Daniel", "Dirk", "Florian", "Frank", "Georg",
    "Günter", "Hans", "Harald", "Heiko", "Helmut", "Jan", "Jens", "Joachim", "Jörg", "Jürgen",
    "Karl", "Klaus", "Lars", "Lukas", "Manfred", "Marco", "Markus", "Martin", "Matthias",
    "Maximilian", "Michael", "Nils", "Oliver", "Patrick", "Peter", "Ralf", "Rainer", "René",
    "Sebastian", "Stefan", "Sven", "Thomas", "Tim", "Tobias", "Torsten", "Uwe", "Volker",
    "Werner", "Wolfgang", "Björn", "Jonas", "Felix", "Dominik", "Benedikt", "Lorenz", "Urs",
    "Reto", "Beat", "Franz", "Josef", "Rüdiger",
)
FIRST_FEMALE = (
    "Andrea", "Anja", "Anna", "Barbara", "Birgit", "Carina", "Christina", "Claudia", "Daniela",
    "Doris", "Elke", "Eva", "Franziska", "Gabriele", "Heike", "Ines", "Jana", "Julia", "Karin",
    "Katharina", "Kerstin", "Laura", "Lea", "Lena", "Maria", "Martina", "Melanie", "Monika",
    "Nadine", "Nicole", "Petra", "Sabine", "Sandra", "Sarah", "Silke", "Simone", "Sonja",
    "Stefanie", "Susanne", "Tanja", "Ute", "Verena", "Jessica", "Miriam", "Jördis", "Bärbel",
    "Sophie", "Hannah", "Corinne", "Regula",
)
SURNAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
    "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang",
    "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller",
    "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke",
    "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher",
    "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt",
    "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl",
    "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff",
    "Pfeiffer", "Brenner", "Eberhardt", "Fiedler", "Gärtner", "Hauser", "Kessler", "Lindner",
    "Marx", "Nagel", "Oswald", "Pfister", "Rademacher", "Seifert", "Thiele", "Ulrich", "Vetter",
    "Wendt", "Ziegelmeier", "Brückner", "Dörr", "Förster", "Gröschel", "Höfer", "Jürgens",
    "Kürten", "Lösch", "Nöthen", "Rößler", "Stöcker", "Würth", "Zöller", "Aigner", "Gruber",
    "Pichler", "Moser", "Steiner", "Hofer", "Leitner", "Egger", "Wimmer", "Brunner", "Gerber",
    "Baumgartner", "Frei", "Bühler", "Kälin", "Ammann", "Sutter", "Widmer", "Zürcher",
)
TITLES = ("Dr.", "Dipl.-Ing.", "Prof. Dr.")

# Job titles with buying-center role: (male form, female form, role)
JOB_TITLES: tuple[tuple[str, str, str], ...] = (
    ("Geschäftsführer", "Geschäftsführerin", "decision_maker"),
    ("Technischer Geschäftsführer", "Technische Geschäftsführerin", "decision_maker"),
    ("Werksleiter", "Werksleiterin", "decision_maker"),
    ("Inhaber", "Inhaberin", "decision_maker"),
    ("Vorstand Technik", "Vorständin Technik", "decision_maker"),
    ("Leiter Einkauf", "Leiterin Einkauf", "purchaser"),
    ("Einkäufer", "Einkäuferin", "purchaser"),
    ("Strategischer Einkauf", "Strategischer Einkauf", "purchaser"),
    ("Sachbearbeiter Einkauf", "Sachbearbeiterin Einkauf", "purchaser"),
    ("Leiter Instandhaltung", "Leiterin Instandhaltung", "user"),
    ("Techniker Instandhaltung", "Technikerin Instandhaltung", "user"),
    ("Produktionsleiter", "Produktionsleiterin", "user"),
    ("Betriebsingenieur", "Betriebsingenieurin", "user"),
    ("Meister Fertigung", "Meisterin Fertigung", "user"),
    ("Konstrukteur", "Konstrukteurin", "influencer"),
    ("Leiter Konstruktion", "Leiterin Konstruktion", "influencer"),
    ("Projektingenieur", "Projektingenieurin", "influencer"),
    ("Qualitätsmanager", "Qualitätsmanagerin", "influencer"),
    ("Leiter F&E", "Leiterin F&E", "influencer"),
    ("Automatisierungsingenieur", "Automatisierungsingenieurin", "influencer"),
)
JOB_ABBREVIATIONS = {
    "Geschäftsführer": "GF", "Geschäftsführerin": "GF", "Leiter Einkauf": "EK-Leitung",
    "Leiterin Einkauf": "EK-Leitung", "Leiter Instandhaltung": "Ltg. Instandhaltung",
    "Technischer Geschäftsführer": "techn. GF", "Produktionsleiter": "Produktion",
}

FREEMAIL_DE = ("gmx.de", "web.de", "t-online.de", "gmail.com", "gmx.net", "freenet.de")
FREEMAIL_AT = ("gmx.at", "aon.at", "gmail.com")
FREEMAIL_CH = ("bluewin.ch", "gmx.ch", "gmail.com")

# ---------------------------------------------------------------------------- companies
STEMS = (
    "Rheintal", "Neckar", "Donau", "Elbtal", "Weser", "Mosel", "Main", "Isar", "Ems", "Lahn",
    "Saale", "Ruhr", "Sieg", "Harz", "Eifel", "Allgäu", "Schwarzwald", "Spessart", "Taunus",
    "Odenwald", "Vogtland", "Erzgebirge", "Sauerland", "Bergisch", "Hanse", "Nordsee", "Ostsee",
    "Alpen", "Bodensee", "Inntal", "Alb", "Franken", "Westfalia", "Saxonia", "Bavaria", "Hessen",
    "Brandenburger", "Lausitz", "Thüringer", "Oberland", "Unterland", "Kraichgau", "Hohenlohe",
    "Altmühl", "Fichtel", "Wesertal", "Leinetal", "Ahrtal", "Murgtal", "Kinzigtal",
    "Technova", "Promat", "Indutec", "Mecatron", "Fluidtec", "Sinterwerk", "Hydromatik",
    "Kinetix", "Precitec", "Metallica", "Formtec", "Dynamo", "Robotec", "Alutec", "Thermotec",
    "Vakutec", "Pneumatik Nord", "Optimat", "Servotec", "Tribotec", "Lasertec", "Stahlform",
    "Nova", "Primus", "Quadro", "Vertex", "Axion", "Helix", "Orbis", "Titan", "Zenit", "Argus",
    "Cosmo", "Delta", "Gamma", "Omega", "Sigma", "Atlas", "Merkur", "Vulkan", "Phönix", "Greif",
    "Adler", "Falke", "Löwen", "Eichen", "Linden", "Tannen", "Sonnen", "Stern", "Kronen",
)
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "MASCH": ("Maschinenbau", "Anlagenbau", "Fördertechnik", "Präzisionstechnik",
              "Werkzeugmaschinen", "Sondermaschinenbau", "Hydraulik", "Pneumatik", "Getriebebau",
              "Verpackungsmaschinen", "Zerspanungstechnik", "Feinmechanik"),
    "AUTO": ("Fahrzeugteile", "Automotive", "Zulieferteile", "Karosseriebau", "Fahrzeugtechnik",
             "Umformtechnik", "Stanztechnik", "Gießerei"),
    "CHEM": ("Chemie", "Kunststofftechnik", "Lackfabrik", "Oberflächentechnik", "Klebstoffe",
             "Polymertechnik", "Spezialchemie"),
    "ELEK": ("Elektrotechnik", "Elektronik", "Antriebstechnik", "Automation",
             "Steuerungstechnik", "Schaltanlagenbau", "Kabelwerk", "Messtechnik"),
    "BAU": ("Bau", "Baustoffe", "Stahlbau", "Metallbau", "Betonwerk", "Fassadentechnik",
            "Kranbau"),
    "LEBM": ("Lebensmitteltechnik", "Nahrungsmittel", "Molkerei", "Brauerei", "Backwaren",
             "Feinkost", "Getränketechnik", "Fleischwaren"),
    "MED": ("Medizintechnik", "Dental", "Labortechnik", "Orthopädietechnik", "Medical",
            "Implantattechnik"),
    "LOGI": ("Logistik", "Spedition", "Lagertechnik", "Intralogistik", "Transporte",
             "Umschlagtechnik"),
}
INDUSTRY_SHARE = {"MASCH": 0.30, "AUTO": 0.15, "CHEM": 0.10, "ELEK": 0.15, "BAU": 0.08,
                  "LEBM": 0.08, "MED": 0.07, "LOGI": 0.07}
# HubSpot industry enumeration values as the CRM exports them.
HUBSPOT_INDUSTRY = {
    "MASCH": ("MACHINERY", "MECHANICAL_OR_INDUSTRIAL_ENGINEERING", "INDUSTRIAL_AUTOMATION"),
    "AUTO": ("AUTOMOTIVE",),
    "CHEM": ("CHEMICALS",),
    "ELEK": ("ELECTRICAL_ELECTRONIC_MANUFACTURING",),
    "BAU": ("CONSTRUCTION", "BUILDING_MATERIALS"),
    "LEBM": ("FOOD_PRODUCTION", "FOOD_BEVERAGES"),
    "MED": ("MEDICAL_DEVICES",),
    "LOGI": ("LOGISTICS_AND_SUPPLY_CHAIN", "TRANSPORTATION_TRUCKING_RAILROAD"),
}

LEGAL_FORMS_DE = (("GmbH", 0.55), ("GmbH & Co. KG", 0.20), ("AG", 0.05), ("KG", 0.06),
                  ("e.K.", 0.05), ("UG (haftungsbeschränkt)", 0.04), ("SE", 0.01), ("OHG", 0.04))
LEGAL_FORMS_AT = (("GmbH", 0.80), ("AG", 0.10), ("KG", 0.05), ("GmbH & Co KG", 0.05))
LEGAL_FORMS_CH = (("AG", 0.60), ("GmbH", 0.30), ("SA", 0.10))
LEGAL_FORMS_CH_FR = (("SA", 0.70), ("Sàrl", 0.30))

LEGAL_FORM_VARIANTS: dict[str, tuple[str, ...]] = {
    "GmbH": ("Gmbh", "G.m.b.H.", "GmbH.", "GMBH", "gmbh", "Ges.m.b.H."),
    "GmbH & Co. KG": ("GmbH & Co KG", "GmbH&Co.KG", "GmbH + Co. KG", "GmbH u. Co. KG",
                      "Gmbh & Co. KG", "GmbH & Co. Kg"),
    "GmbH & Co KG": ("GmbH & Co. KG", "GmbH&Co KG", "Ges.m.b.H. & Co KG"),
    "AG": ("A.G.", "Aktiengesellschaft", "Ag"),
    "KG": ("K.G.", "Kg"),
    "e.K.": ("eK", "e. K.", "e.Kfm."),
    "UG (haftungsbeschränkt)": ("UG", "UG (haftungsbeschraenkt)", "UG (h.b.)"),
    "SE": ("S.E.",),
    "OHG": ("oHG", "O.H.G."),
    "SA": ("S.A.",),
    "Sàrl": ("Sarl", "S.à r.l."),
}

# ---------------------------------------------------------------------------- fast random helpers
def choice(rnd: random.Random, seq):
    """rnd.choice without its overhead (the generator calls this millions of times)."""
    return seq[int(rnd.random() * len(seq))]


def randrange(rnd: random.Random, start: int, stop: int | None = None) -> int:
    if stop is None:
        start, stop = 0, start
    return start + int(rnd.random() * (stop - start))


# ---------------------------------------------------------------------------- dirt helpers
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                        "ß": "ss", "é": "e", "è": "e", "à": "a"})
_STRIP = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss",
                        "é": "e", "è": "e", "à": "a"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_umlauts(text: str) -> str:
    """Müller -> Mueller, Weiß -> Weiss."""
    return text.translate(_ASCII)


def strip_umlauts(text: str) -> str:
    """Müller -> Muller (what badge scanners and old systems do)."""
    return text.translate(_STRIP)


def slug(text: str) -> str:
    """ASCII lower-case token for e-mail addresses and domains."""
    return _NON_ALNUM.sub("-", ascii_umlauts(text).lower()).strip("-")


@lru_cache(maxsize=4096)
def email_local(text: str) -> str:
    return _NON_ALNUM.sub("", ascii_umlauts(text).lower())


def has_umlaut(text: str) -> bool:
    return any(ch in text for ch in "äöüÄÖÜß")


def typo(text: str, rnd: random.Random) -> str:
    """One-character typo at a letter position after the first: swap, drop, double, replace."""
    positions = [i for i in range(1, len(text)) if text[i].isalpha()]
    if not positions:
        return text
    i = rnd.choice(positions)
    kind = rnd.randrange(4)
    if kind == 0 and i + 1 < len(text) and text[i + 1].isalpha() and text[i + 1] != text[i]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == 1 and len(positions) > 3:
        return text[:i] + text[i + 1:]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    neighbours = "aeioun" if text[i].lower() not in "aeiou" else "eiaoum"
    replacement = rnd.choice([c for c in neighbours if c != text[i].lower()])
    return text[:i] + (replacement.upper() if text[i].isupper() else replacement) + text[i + 1:]


def legal_form_variant(form: str, rnd: random.Random) -> str:
    variants = LEGAL_FORM_VARIANTS.get(form)
    return choice(rnd, variants) if variants else form


COMPANY_DIRT = ("legal", "nolegal", "ascii", "strip", "upper", "lower", "space", "trailing",
                "typo", "amp", "ascii_nolegal")


def company_spelling(base: str, form: str, kind: str | None, rnd: random.Random) -> str:
    """The company name in one of the spellings sources use; kind None = the legal name."""
    if kind is None:
        return f"{base} {form}"
    if kind == "legal":
        return f"{base} {legal_form_variant(form, rnd)}"
    if kind == "legal_gmbh_dots":
        return f"{base} {form.replace('GmbH', 'G.m.b.H.')}"
    if kind == "nolegal":
        return base
    if kind == "ascii":
        return ascii_umlauts(f"{base} {form}")
    if kind == "ascii_nolegal":
        return ascii_umlauts(base)
    if kind == "strip":
        return strip_umlauts(f"{base} {form}")
    if kind == "upper":
        return f"{base} {form}".upper()
    if kind == "lower":
        return f"{base} {form}".lower()
    if kind == "space":
        full = f"{base} {form}"
        spaces = [i for i, ch in enumerate(full) if ch == " "]
        i = rnd.choice(spaces)
        return full[:i] + "  " + full[i + 1:]
    if kind == "trailing":
        return f"{base} {form} "
    if kind == "typo":
        return f"{typo(base, rnd)} {form}"
    if kind == "amp":
        if " & " in base:
            return f"{base.replace(' & ', rnd.choice([' und ', ' u. ', '&', ' + ']))} {form}"
        if "& Co" in form:
            return f"{base} {form.replace('& Co', rnd.choice(['und Co', '+ Co', '&Co']))}"
        return f"{base} {legal_form_variant(form, rnd)}"
    raise ValueError(kind)


_NO_UMLAUT_DIRT = tuple(k for k in COMPANY_DIRT if k not in ("ascii", "strip", "ascii_nolegal"))


def pick_company_dirt(rnd: random.Random, rate: float, base: str = "") -> str | None:
    """A dirt kind with probability `rate` (umlaut kinds only where the name has umlauts)."""
    if rnd.random() >= rate:
        return None
    return choice(rnd, COMPANY_DIRT if has_umlaut(base) else _NO_UMLAUT_DIRT)


_STREET_SUFFIX = re.compile(r"(S|s)traße\b")


def street_variant(street: str, rnd: random.Random) -> str:
    """Hauptstraße 12 -> Hauptstr. 12 / Hauptstrasse 12 / Hauptstr 12 / HAUPTSTRASSE 12."""
    kind = int(rnd.random() * 6)
    if _STREET_SUFFIX.search(street):
        if kind == 0:
            return _STREET_SUFFIX.sub(lambda m: m.group(1) + "tr.", street)
        if kind == 1:
            return _STREET_SUFFIX.sub(lambda m: m.group(1) + "trasse", street)
        if kind == 2:
            return _STREET_SUFFIX.sub(lambda m: m.group(1) + "tr", street)
    if kind == 3:
        return ascii_umlauts(street).upper()
    if kind == 4:
        # house-number spacing: "Industriestraße 5a" -> "Industriestraße 5 a"
        return re.sub(r"(\d+)([a-z])$", r"\1 \2", street) if re.search(r"\d[a-z]$", street) else street + " "
    return ascii_umlauts(street)


def city_variant(city: str, rnd: random.Random, aliases: dict[str, tuple[str, ...]]) -> str:
    options = list(aliases.get(city, ()))
    if has_umlaut(city):
        options += [ascii_umlauts(city), strip_umlauts(city)]
    options += [city.upper(), city + " "]
    return rnd.choice(options)


def phone_format(country: str, area: str, number: str, rnd: random.Random) -> str:
    """One company/person number in the many ways people write it."""
    prefix = {"DE": "49", "AT": "43", "CH": "41"}[country]
    kind = int(rnd.random() * 6)
    if kind == 0:
        return f"+{prefix} {area} {number}"
    if kind == 1:
        return f"+{prefix} (0){area} {number}"
    if kind == 2:
        return f"0{area} {number}"
    if kind == 3:
        return f"0{area}/{number}"
    if kind == 4:
        return f"00{prefix} {area} {number.replace('-', '')}"
    return f"0{area}-{number.replace('-', '')}"


def invalid_email(first: str, last: str, domain: str, rnd: random.Random) -> str:
    local = email_local(first) + "." + email_local(last)
    return rnd.choice((
        f"{local}@",
        f"info(at){domain}",
        f"{local}@{domain.split('.')[0]}",
        f"{local}.{domain}",
        f"{local}@@{domain}",
        f"{local} @{domain}",
    ))
