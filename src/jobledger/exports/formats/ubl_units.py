"""Units of measure as e-invoices code them: UN/ECE Recommendation 20.

Lines carry the unit as people write it ("HR", "hours", "ea", "CY"); the words a
contractor uses are mapped here, a unit already written as a Rec 20 code goes through,
and anything else is counted as "one" (C62), which every receiver accepts.
"""

from functools import lru_cache

ONE = "C62"

# Words and abbreviations seen on lines → Rec 20 code.
UNIT_WORDS: dict[str, str] = {
    "": ONE,
    "EA": "EA",
    "EACH": "EA",
    "PC": "H87",
    "PCS": "H87",
    "PIECE": "H87",
    "PIECES": "H87",
    "UNIT": ONE,
    "UNITS": ONE,
    "HR": "HUR",
    "HRS": "HUR",
    "H": "HUR",
    "HOUR": "HUR",
    "HOURS": "HUR",
    "MIN": "MIN",
    "MINUTE": "MIN",
    "MINUTES": "MIN",
    "DAY": "DAY",
    "DAYS": "DAY",
    "WK": "WEE",
    "WEEK": "WEE",
    "WEEKS": "WEE",
    "MO": "MON",
    "MONTH": "MON",
    "MONTHS": "MON",
    "YR": "ANN",
    "YEAR": "ANN",
    "FT": "FOT",
    "FOOT": "FOT",
    "FEET": "FOT",
    "LF": "FOT",
    "IN": "INH",
    "INCH": "INH",
    "YD": "YRD",
    "YARD": "YRD",
    "MI": "SMI",
    "MILE": "SMI",
    "MILES": "SMI",
    "M": "MTR",
    "METER": "MTR",
    "METRE": "MTR",
    "KM": "KMT",
    "SF": "FTK",
    "SQFT": "FTK",
    "SY": "YDK",
    "SQYD": "YDK",
    "M2": "MTK",
    "SQM": "MTK",
    "CY": "YDQ",
    "CUYD": "YDQ",
    "CF": "FTQ",
    "M3": "MTQ",
    "CUM": "MTQ",
    "GAL": "GLL",
    "GALLON": "GLL",
    "GALLONS": "GLL",
    "L": "LTR",
    "LITRE": "LTR",
    "LITER": "LTR",
    "LB": "LBR",
    "LBS": "LBR",
    "POUND": "LBR",
    "KG": "KGM",
    "TON": "STN",  # a US contractor's ton is the short ton
    "TONS": "STN",
    "TONNE": "TNE",
    "T": "TNE",
    "LOAD": "NL",
    "LOADS": "NL",
    "LS": "LS",
    "LUMP": "LS",
    "LUMPSUM": "LS",
    "SET": "SET",
    "PAIR": "PR",
    "BOX": "XBX",
    "ROLL": "XRO",
    "BAG": "XBG",
    "PALLET": "XPX",
    "KWH": "KWH",
}
# Codes that are already Rec 20 (or Rec 21 packaging) codes and pass through unchanged.
REC20_CODES = frozenset(UNIT_WORDS.values()) | {"C62", "H87", "E48", "ZZ", "ACR", "HUR"}


@lru_cache(maxsize=512)
def unit_code(unit: str) -> str:
    """The Rec 20 code of a line's unit."""
    word = "".join(unit.split()).upper().rstrip(".")
    if word in REC20_CODES:
        return word
    return UNIT_WORDS.get(word, ONE)
