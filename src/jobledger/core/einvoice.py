"""The code lists and identifier rules of e-invoices (EN 16931 / Peppol BIS Billing 3.0).

Company and customer forms check their e-invoice details against these rules, and the
e-invoice pre-flight checks them again, so a wrong scheme or number is named on a form
or before export instead of turning up as a rejected document.
"""

import re
from typing import Any

from django.db import models


class TaxCategory(models.TextChoices):
    """UNCL5305 tax categories, as EN 16931 uses them."""

    STANDARD = "S", "S — standard rate"
    ZERO = "Z", "Z — zero rated"
    EXEMPT = "E", "E — exempt from tax"
    REVERSE_CHARGE = "AE", "AE — reverse charge"
    INTRA_COMMUNITY = "K", "K — intra-community supply (EU)"
    EXPORT = "G", "G — export outside the EU"
    OUTSIDE_SCOPE = "O", "O — not subject to VAT"
    CANARY = "L", "L — Canary Islands IGIC"
    CEUTA_MELILLA = "M", "M — Ceuta and Melilla IPSI"


# Categories charged at a rate above zero; the others are charged at 0 %.
RATED_CATEGORIES = frozenset({"S", "L", "M"})
# Categories whose documents must say why no tax is charged (BR-E-10, BR-AE-10, …).
REASON_REQUIRED = frozenset({"E", "AE", "K", "G", "O"})
# Categories for which a reason must not be given (BR-S-10, BR-Z-10).
REASON_FORBIDDEN = frozenset({"S", "Z"})
# Categories that need the buyer's VAT number too (BR-AE-02, BR-IC-02).
BUYER_VAT_REQUIRED = frozenset({"AE", "K"})

VATEX_CODE = re.compile(r"VATEX-[A-Z]{2}-[A-Z0-9-]+")

# Peppol Electronic Address Scheme (EAS) codes accepted for endpoint IDs.
ENDPOINT_SCHEMES: dict[str, str] = {
    "0002": "0002 — SIRENE (France)",
    "0007": "0007 — Swedish organisation number",
    "0009": "0009 — SIRET (France)",
    "0060": "0060 — DUNS number",
    "0088": "0088 — GLN (GS1 Global Location Number)",
    "0096": "0096 — Danish P number",
    "0097": "0097 — FTI (Italy)",
    "0106": "0106 — Dutch Chamber of Commerce (KvK)",
    "0130": "0130 — EU Directorates-General",
    "0135": "0135 — SIA (Italy)",
    "0142": "0142 — SECETI (Italy)",
    "0151": "0151 — Australian Business Number (ABN)",
    "0183": "0183 — Swiss business ID (UIDB)",
    "0184": "0184 — Danish CVR number",
    "0188": "0188 — Japanese corporate number",
    "0190": "0190 — Dutch government ID (OIN)",
    "0191": "0191 — Estonian company code",
    "0192": "0192 — Norwegian organisation number",
    "0195": "0195 — Singapore UEN",
    "0196": "0196 — Icelandic kennitala",
    "0198": "0198 — Danish SE number",
    "0199": "0199 — Legal Entity Identifier (LEI)",
    "0200": "0200 — Lithuanian legal entity code",
    "0201": "0201 — Italian IPA code",
    "0204": "0204 — German Leitweg-ID",
    "0208": "0208 — Belgian enterprise number",
    "0209": "0209 — GS1 identification key",
    "0210": "0210 — Italian tax code (Codice Fiscale)",
    "0211": "0211 — Italian VAT number (Partita IVA)",
    "0216": "0216 — Finnish OVT code",
    "0218": "0218 — Latvian registration number",
    "0221": "0221 — Japanese invoice registration number",
    "0225": "0225 — French CTC routing (FRCTC)",
    "0230": "0230 — Malaysian e-invoice ID",
    "0235": "0235 — UAE tax identification number",
    "0240": "0240 — Peppol EAS 0240",
    "0242": "0242 — Peppol EAS 0242",
    "0244": "0244 — Peppol EAS 0244",
    "0245": "0245 — Peppol EAS 0245",
    "0246": "0246 — Peppol EAS 0246",
    "0248": "0248 — Peppol EAS 0248",
    "9910": "9910 — Hungarian VAT number",
    "9913": "9913 — Business Registers Network",
    "9914": "9914 — Austrian UID",
    "9915": "9915 — Austrian VKZ",
    "9918": "9918 — IBAN",
    "9919": "9919 — Austrian company register",
    "9920": "9920 — Spanish tax agency (AEAT)",
    "9922": "9922 — Andorran VAT number",
    "9923": "9923 — Albanian VAT number",
    "9924": "9924 — Bosnian VAT number",
    "9925": "9925 — Belgian VAT number",
    "9926": "9926 — Bulgarian VAT number",
    "9927": "9927 — Swiss VAT number",
    "9928": "9928 — Cypriot VAT number",
    "9929": "9929 — Czech VAT number",
    "9930": "9930 — German VAT number",
    "9931": "9931 — Estonian VAT number",
    "9932": "9932 — UK VAT number",
    "9933": "9933 — Greek VAT number",
    "9934": "9934 — Croatian VAT number",
    "9935": "9935 — Irish VAT number",
    "9936": "9936 — Liechtenstein VAT number",
    "9937": "9937 — Lithuanian VAT number",
    "9938": "9938 — Luxembourg VAT number",
    "9939": "9939 — Latvian VAT number",
    "9940": "9940 — Monaco VAT number",
    "9941": "9941 — Montenegrin VAT number",
    "9942": "9942 — North Macedonian VAT number",
    "9943": "9943 — Maltese VAT number",
    "9944": "9944 — Dutch VAT number",
    "9945": "9945 — Polish VAT number",
    "9946": "9946 — Portuguese VAT number",
    "9947": "9947 — Romanian VAT number",
    "9948": "9948 — Serbian VAT number",
    "9949": "9949 — Slovenian VAT number",
    "9950": "9950 — Slovak VAT number",
    "9951": "9951 — San Marino VAT number",
    "9952": "9952 — Turkish VAT number",
    "9953": "9953 — Vatican VAT number",
    "9957": "9957 — French VAT number",
    "9959": "9959 — US Employer Identification Number (EIN)",
}
SCHEME_CHOICES = [("", "—"), *ENDPOINT_SCHEMES.items()]


def _code_set(codes: str) -> frozenset[str]:
    return frozenset(codes.split())


# ISO 3166-1 alpha-2 as EN 16931 accepts it (with 1A Kosovo and XI Northern Ireland).
COUNTRIES = _code_set(
    "1A AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK "
    "DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR "
    "GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM "
    "KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP "
    "MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL "
    "PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST "
    "SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG "
    "VI VN VU WF WS XI YE YT ZA ZM ZW"
)
# Greece writes EL before its VAT numbers.
VAT_PREFIXES = COUNTRIES | {"EL"}

CURRENCIES = _code_set(
    "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN "
    "BZD CAD CDF CHE CHF CHW CLF CLP CNH CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB "
    "EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD "
    "JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP "
    "MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR "
    "RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STD SVC SYP SZL THB TJS TMT TND "
    "TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VES VED VND VUV WST XAF XCD XCG XOF XPF "
    "YER ZAR ZMW ZWG"
)


def _gln(value: str) -> bool:
    digits = [int(ch) for ch in value]
    weighted = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - weighted % 10) % 10 == digits[-1]


def _mod11(value: str) -> bool:
    digits = [int(ch) for ch in value]
    weighted = sum(d * (i % 6 + 2) for i, d in enumerate(reversed(digits[:-1])))
    return int(value) > 0 and (11 - weighted % 11) % 11 == digits[-1]


def _abn(value: str) -> bool:
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [int(ch) for ch in value]
    digits[0] -= 1
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 89 == 0


def _belgian(value: str) -> bool:
    return int(value[8:]) == 97 - int(value[:8]) % 97


def _swedish(value: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(value[:9]), 1):
        digit = int(ch) * 2 if position % 2 == 1 else int(ch)
        total += digit % 10 + digit // 10
    return (10 - total % 10) % 10 == int(value[9])


# Scheme → (pattern, check digits, what the number looks like), as the Peppol rules test.
_SCHEME_RULES = {
    "0007": (r"\d{10}", _swedish, "10 digits with a valid check digit"),
    "0088": (r"\d{13}", _gln, "13 digits with a valid GS1 check digit"),
    "0096": (r"\d{10}", None, "10 digits"),
    "0106": (r"\d{8}", None, "8 digits"),
    "0151": (r"\d{11}", _abn, "11 digits that pass the ABN check"),
    "0184": (r"(DK)?\d{8}", None, "8 digits, optionally after DK"),
    "0190": (r"\d{20}", None, "20 digits"),
    "0192": (r"\d{9}", _mod11, "9 digits with a valid check digit"),
    "0198": (r"DK\d{8}", None, "DK and 8 digits"),
    "0208": (r"\d{10}", _belgian, "10 digits with valid check digits"),
    "0217": (r"\d{12}", None, "12 digits"),
}
_VAT_SCHEME_COUNTRY = {"9930": "DE", "9957": "FR", "9944": "NL", "9932": "GB", "9925": "BE"}


def clean_identifier(value: str) -> str:
    """An identifier as people type it (spaces, dots, dashes) reduced to what is sent."""
    return re.sub(r"[\s.\-/]", "", value).upper()


def endpoint_problem(scheme: str, identifier: str) -> str | None:
    """Why `identifier` is not a valid Peppol endpoint ID under `scheme`, or None."""
    if scheme not in ENDPOINT_SCHEMES:
        return f"“{scheme}” is not a Peppol endpoint scheme; choose one from the list."
    if not identifier:
        return "Enter the endpoint ID that goes with the scheme."
    label = ENDPOINT_SCHEMES[scheme].split(" — ", 1)[1]
    rule = _SCHEME_RULES.get(scheme)
    if rule:
        pattern, check, looks = rule
        if not re.fullmatch(pattern, identifier) or (check and not check(identifier)):
            return f"A {label} is {looks}; “{identifier}” is not."
    country = _VAT_SCHEME_COUNTRY.get(scheme)
    if country and not identifier.startswith(country):
        return f"A {label} starts with {country}; “{identifier}” does not."
    return None


def vat_number(value: str, country: str) -> str:
    """A VAT/GST number with its country prefix (EN 16931 rule BR-CO-09); a number typed
    without one gets the party's own country. Raises ValueError when it cannot be one."""
    number = clean_identifier(value)
    if not number:
        return ""
    if not number[:2].isalpha():
        number = country.upper() + number
    if number[:2] not in VAT_PREFIXES:
        raise ValueError(f"“{value}” does not start with a country code such as DE or AU.")
    if not re.fullmatch(r"[A-Z0-9]{2}[A-Z0-9+*]{2,13}", number):
        raise ValueError(f"“{value}” is not a VAT/GST number (4 to 15 letters and digits).")
    return number


def clean_party_fields(party: Any) -> dict[str, str]:
    """Tidy the e-invoice identity of a company or customer in place (country, VAT/GST
    number, Peppol endpoint) and return what is wrong with it, by field name."""
    errors: dict[str, str] = {}
    party.country = party.country.strip().upper()
    if party.country not in COUNTRIES:
        errors["country"] = f"“{party.country}” is not a two-letter ISO 3166 country code."
    try:
        party.vat_number = vat_number(party.vat_number, party.country)
    except ValueError as error:
        errors["vat_number"] = str(error)
    party.peppol_scheme = party.peppol_scheme.strip()
    party.peppol_id = "".join(party.peppol_id.split()).upper()
    if party.peppol_id and not party.peppol_scheme:
        errors["peppol_scheme"] = "Choose the scheme the endpoint ID belongs to."
    elif party.peppol_scheme:
        problem = endpoint_problem(party.peppol_scheme, party.peppol_id)
        if problem:
            errors["peppol_id" if party.peppol_scheme in ENDPOINT_SCHEMES else "peppol_scheme"] = (
                problem
            )
    return errors
