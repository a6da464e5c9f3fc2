"""The demo company's customers and the kinds of jobs each of them hires it for."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CustomerSpec:
    code: str
    name: str
    address1: str
    city: str
    postal_code: str
    contact_name: str
    phone: str
    terms_days: int
    tax_code: str | None  # None: tax-exempt
    sector: str

    @property
    def email(self) -> str:
        first, last = self.contact_name.lower().split(" ", 1)
        domain = "".join(ch for ch in self.code.lower() if ch.isalnum())
        return f"{first[0]}{last.replace(' ', '')}@{domain}.example"


def _c(
    code: str, name: str, street: str, city: str, postal: str, contact: str, phone: str,
    terms: int, tax: str | None, sector: str,
) -> CustomerSpec:  # fmt: skip
    return CustomerSpec(code, name, street, city, postal, contact, phone, terms, tax, sector)


CUSTOMERS = (
    _c("CITYGF", "City of Granite Falls, Public Works", "300 Civic Center Dr", "Granite Falls",
       "80534", "Helen Brandt", "(970) 555-0110", 30, None, "government"),
    _c("TOWNMB", "Town of Millbrook", "12 Depot Street", "Millbrook", "80550",
       "Raymond Chu", "(970) 555-0131", 30, None, "government"),
    _c("CEDARUTIL", "City of Cedar Ridge Utilities", "700 Water Works Rd", "Cedar Ridge",
       "80537", "Sandra Pike", "(970) 555-0177", 45, None, "utility"),
    _c("PINECORB", "Pine County Road & Bridge", "2555 County Road 9", "Bellvue", "80512",
       "Walt Hennessy", "(970) 555-0190", 30, None, "government"),
    _c("WILLOWPW", "Willow County Public Works", "1150 O Street", "Greeley", "80631",
       "Denise Alcott", "(970) 555-0123", 45, None, "government"),
    _c("TOWNBC", "Town of Bear Creek", "55 Main Street", "Bear Creek", "80513",
       "Luis Padilla", "(970) 555-0168", 30, None, "government"),
    _c("REDVALSD", "Red Valley School District R-2", "800 S Taft Ave", "Loveland", "80537",
       "Karen Ostrowski", "(970) 555-0102", 30, None, "school"),
    _c("NPLAINSSD", "North Plains Unified School District", "1400 Prairie Way", "Eaton",
       "80615", "Bruce Tallman", "(970) 555-0144", 45, None, "school"),
    _c("CRCC", "Cedar Ridge Community College", "4616 College Blvd", "Cedar Ridge", "80538",
       "Anita Rowe", "(970) 555-0158", 30, None, "school"),
    _c("FRWSD", "Front Range Water & Sanitation District", "9 Reservoir Rd", "Berthoud",
       "80513", "Glen Morrow", "(970) 555-0186", 30, None, "utility"),
    _c("HPEC", "High Plains Electric Cooperative", "3300 Cooperative Way", "Fort Collins",
       "80524", "Trina Valdez", "(970) 555-0115", 30, "CO-LAR", "utility"),
    _c("MESAMD", "Mesa Verde Metropolitan District", "150 Mesa Verde Pkwy", "Windsor",
       "80550", "Owen Fairbanks", "(970) 555-0139", 30, None, "utility"),
    _c("CDOTR4", "State Highway Department, Region 4", "10601 W 10th St", "Greeley",
       "80634", "Patricia Lund", "(970) 555-0172", 45, None, "government"),
    _c("SUMMITDEV", "Summit Peak Development, LLC", "2001 Crossroads Blvd, Ste 300",
       "Loveland", "80538", "Greg Holloway", "(970) 555-0104", 30, "CO-LAR", "developer"),
    _c("BLUESKY", "Bluesky Homes, Inc.", "480 Centerra Pkwy", "Loveland", "80538",
       "Tanya Burke", "(970) 555-0129", 30, "CO-LAR", "developer"),
    _c("ASPENGRV", "Aspen Grove Partners, LLC", "1720 Pearl St", "Boulder", "80302",
       "Neil Sorensen", "(303) 555-0147", 30, "CO-BOU", "developer"),
    _c("COTTONWD", "Cottonwood Commercial Builders", "6250 Ward Rd", "Johnstown", "80534",
       "Jill Marchetti", "(970) 555-0163", 45, "CO-WEL", "contractor"),
    _c("HARVESTRDG", "Harvest Ridge Homebuilders", "3900 W 10th St", "Greeley", "80634",
       "Chad Everly", "(970) 555-0181", 30, "CO-WEL", "developer"),
    _c("IRONHORSE", "Ironhorse Logistics Park, LLC", "7700 Freight Ln", "Windsor", "80550",
       "Victor Ramos", "(970) 555-0196", 30, "CO-WEL", "commercial"),
    _c("PRAIRIEWIND", "Prairie Wind Solar Partners", "1 Sunlight Way", "Keenesburg",
       "80643", "Megan Castle", "(303) 555-0120", 45, "CO-WEL", "commercial"),
    _c("RIDGEMED", "Ridgeview Medical Center", "2500 Rocky Mountain Ave", "Loveland",
       "80538", "Omar Haddad", "(970) 555-0152", 30, None, "commercial"),
    _c("GOLDLAKES", "Golden Lakes Country Club", "18 Fairway Dr", "Berthoud", "80513",
       "Paula Jennings", "(970) 555-0117", 15, "CO-LAR", "commercial"),
    _c("MAINSTRH", "Main Street Retail Holdings", "215 E 4th St", "Loveland", "80537",
       "Derek Whalen", "(970) 555-0166", 30, "CO-LAR", "commercial"),
    _c("NORTHGATE", "Northgate Industrial Park Owners Assn.", "5400 Northgate Dr",
       "Fort Collins", "80525", "Rita Sandoval", "(970) 555-0109", 30, "CO-LAR", "commercial"),
    _c("WESTFIELDDC", "Westfield Data Centers, Inc.", "9000 Tech Center Dr", "Erie",
       "80516", "Arjun Mehta", "(303) 555-0193", 45, "CO-BOU", "commercial"),
    _c("KESSLER", "Kessler Brothers General Contractors", "1250 Industrial Rd", "Longmont",
       "80501", "Frank Kessler", "(303) 555-0138", 45, "CO-BOU", "contractor"),
    _c("TRIPEAKS", "Tri-Peaks Construction Group", "640 Cleveland Ave", "Loveland",
       "80537", "Holly Strand", "(970) 555-0175", 45, "CO-LAR", "contractor"),
    _c("VALLEYFRESH", "Valley Fresh Foods Distribution", "2100 Packer Rd", "Greeley",
       "80631", "Sam Whitlock", "(970) 555-0188", 0, "CO-WEL", "commercial"),
    _c("STONEBRIDGE", "Stonebridge Apartments, LP", "3333 Stonebridge Cir", "Fort Collins",
       "80525", "Lena Foster", "(970) 555-0126", 30, "CO-LAR", "developer"),
    _c("ELKCREEK", "Elk Creek Ranch HOA", "77 Elk Creek Rd", "Berthoud", "80513",
       "Martin Greer", "(970) 555-0159", 15, "CO-LAR", "commercial"),
)  # fmt: skip

# Added at the end of the load and not yet sent to accounting: the customer export offers them.
NEW_CUSTOMERS = (
    _c("LAKESIDESL", "Lakeside Senior Living", "940 Lakeside Dr", "Loveland", "80537",
       "Joan Pritchard", "(970) 555-0199", 30, "CO-LAR", "commercial"),
    _c("SUNRISEAG", "Sunrise Ag Cooperative", "16000 County Road 74", "Eaton", "80615",
       "Dale Brubaker", "(970) 555-0108", 0, "CO-WEL", "commercial"),
)  # fmt: skip

SECTOR_DEPARTMENTS = {
    "government": ("PAVE", "UTIL", "TRAF", "CONC", "CIVIL"),
    "school": ("PAVE", "ELEC", "CONC", "CIVIL"),
    "utility": ("UTIL", "ELEC", "CIVIL"),
    "developer": ("CIVIL", "UTIL", "PAVE", "ELEC"),
    "contractor": ("CIVIL", "ELEC", "UTIL", "EQRENT"),
    "commercial": ("ELEC", "PAVE", "CONC", "CIVIL", "EQRENT"),
}
# Public owners bid lump sums; private owners mix lump sums with time and materials.
FIXED_PRICE_SHARE = {
    "government": 0.7,
    "school": 0.7,
    "utility": 0.5,
    "developer": 0.4,
    "contractor": 0.3,
    "commercial": 0.4,
}

JOB_NAMES = {
    "CIVIL": (
        "{street} Site Grading", "{place} Filing {n} Overlot Grading",
        "Detention Pond {n} Rehabilitation", "{street} Storm Sewer Extension",
        "Building Pad Prep, Lot {n}", "Drainage Channel Improvements",
        "Erosion Control & Revegetation", "{street} Box Culvert Replacement",
    ),
    "ELEC": (
        "{street} Street Lighting Upgrade", "EV Charging Stations, Lot {n}",
        "Ballfield Lighting Replacement", "Duct Bank & Vault Installation",
        "Site Lighting & Power, Building {n}", "Solar Collection System Trenching",
        "Generator & Transfer Switch Installation", "Parking Lot {n} LED Retrofit",
    ),
    "PAVE": (
        "{street} Mill & Overlay", "Parking Lot {n} Resurfacing", "Trail Paving, Phase {n}",
        "{street} Pavement Patching", "Bus Loop Reconstruction", "Crack Seal & Restripe Program",
    ),
    "UTIL": (
        "{street} Waterline Replacement", "Sanitary Sewer Rehab, Basin {n}",
        "Lift Station {n} Upgrade", "{street} Water Service Taps",
        "Storm Inlet Replacement Program", "Fire Line & Hydrant Relocation",
    ),
    "TRAF": (
        "{street} & {street2} Signal Rebuild", "School Zone Flasher Installation",
        "Traffic Control, {street} Closure", "Pedestrian Beacon Installation",
        "Signal Detection Upgrade, {n} Intersections",
    ),
    "CONC": (
        "ADA Curb Ramp Replacement, Year {n}", "{street} Sidewalk Repairs",
        "Curb & Gutter Replacement", "Concrete Pads & Bollards",
    ),
    "EQRENT": (
        "Operated Equipment Rental, Phase {n}", "Equipment Rental, {street}",
        "Snow Storage Site Equipment Standby",
    ),
}  # fmt: skip
STREETS = (
    "County Road 18", "Harmony Road", "Timberline Drive", "Prospect Avenue", "Eagle Drive",
    "Boyd Lake Avenue", "Crossroads Boulevard", "Ridgeview Parkway", "Summit View Drive",
    "Elm Street", "Mulberry Street", "Lincoln Avenue", "Sunset Trail", "Aspen Way",
    "Meadowlark Lane", "Highway 34 Frontage Road", "Taft Avenue", "Wilson Avenue",
)  # fmt: skip
PLACES = ("Cedar Ridge", "Willow Bend", "Stone Creek", "Prairie Vista", "Eagle Crossing")

# Customers who take their invoices over Peppol: their GS1 location number (endpoint) and
# the reference their payables office asks every e-invoice to quote.
EINVOICE_CUSTOMERS = {
    "CITYGF": ("0614141000029", "PW-AP-2201"),
    "CDOTR4": ("0614141000036", "R4-CONSTRUCTION"),
    "SUMMITDEV": ("0614141000043", "SPD-PAYABLES"),
    "WESTFIELDDC": ("0614141000050", "WDC-FACILITIES-400"),
}
