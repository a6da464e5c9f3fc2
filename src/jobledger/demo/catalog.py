"""The demo company's fixed data: who works there, what it sells, and its chart of accounts."""

from dataclasses import dataclass
from decimal import Decimal

COMPANY = {
    "name": "Ridgeline Site & Electric, Inc.",
    "address": "4180 Industrial Parkway\nLoveland, CO 80538",
    "phone": "(970) 555-0142",
    "email": "billing@ridgeline-se.example",
    "currency": "USD",
    # E-invoices (UBL / Peppol): a GS1 location number as its Peppol address.
    "legal_name": "Ridgeline Site & Electric, Inc.",
    "city": "Loveland",
    "region": "CO",
    "postal_code": "80538",
    "country": "US",
    "vat_number": "US841234567",
    "peppol_scheme": "0088",
    "peppol_id": "0614141000012",
}
FIRST_INVOICE_NUMBER = 10001


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str
    login: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


ADMIN = Person("admin", "Karen", "Holt", "Administrator", login=True)
PM = Person("pm", "Dana", "Whitfield", "Project Manager", login=True)
FIELD = Person("field", "Luis", "Ortega", "Field", login=True)
LOGINS = (ADMIN, PM, FIELD)
STAFF = (
    Person("mdelgado", "Marcus", "Delgado", "Project Manager"),
    Person("praman", "Priya", "Raman", "Project Manager"),
    Person("tbrennan", "Tom", "Brennan", "Project Manager"),
    Person("cjensen", "Cody", "Jensen", "Field"),
    Person("msantos", "Maria", "Santos", "Field"),
)
PROJECT_MANAGERS = ("pm", "mdelgado", "praman", "tbrennan")
FIELD_AUTHORS = ("field", "cjensen", "msantos")
CREW = (
    "R. Alvarez", "J. Becker", "T. Nguyen", "M. Okafor", "D. Kowalski", "S. Herrera",
    "K. Lindqvist", "B. Tso", "A. Castillo", "P. Murphy", "G. Yellowhorse", "E. Novak",
    "C. Ruiz", "H. Park", "W. Jansen", "F. Ibarra", "N. Dubois", "L. Medina",
)  # fmt: skip
REPRESENTATIVES = (
    "Gary Pruitt", "Angela Moreno", "Steve Lindahl", "Renee Carter", "Phil Auclair",
    "Janet Osei", "Mike Haldane", "Lori Vance", "Dwight Sato", "Carmen Reyes",
    "Bill Kerrigan", "Tasha Greene",
)  # fmt: skip

DEPARTMENTS = (
    ("CIVIL", "Civil & Site Work"),
    ("ELEC", "Electrical"),
    ("PAVE", "Paving"),
    ("UTIL", "Utilities"),
    ("TRAF", "Traffic Control & Signals"),
    ("CONC", "Concrete"),
    ("EQRENT", "Equipment Rental"),
)
TAX_CODES = (
    ("CO-LAR", "Larimer County combined sales tax", Decimal("7.3500")),
    ("CO-WEL", "Weld County combined sales tax", Decimal("5.4000")),
    ("CO-BOU", "Boulder County combined sales tax", Decimal("8.8450")),
)


@dataclass(frozen=True)
class TaskSpec:
    code: str
    name: str
    kind: str
    unit: str
    rate: Decimal
    department: str | None
    taxable: bool = False


def _t(code: str, name: str, kind: str, unit: str, rate: str, dept: str | None) -> TaskSpec:
    return TaskSpec(code, name, kind, unit, Decimal(rate), dept, taxable=kind == "materials")


TASKS = (
    # Labor rate classes; foremen, laborers and drivers book to the job's own department.
    _t("LAB-FORE", "Foreman", "labor", "HR", "98.50", None),
    _t("LAB-OPER", "Equipment Operator", "labor", "HR", "88.00", "CIVIL"),
    _t("LAB-LABR", "Laborer", "labor", "HR", "62.00", None),
    _t("LAB-DRVR", "Truck Driver (CDL)", "labor", "HR", "72.00", None),
    _t("LAB-ELEC", "Journeyman Electrician", "labor", "HR", "112.00", "ELEC"),
    _t("LAB-APPR", "Apprentice Electrician", "labor", "HR", "74.00", "ELEC"),
    _t("LAB-PIPE", "Pipe Layer", "labor", "HR", "79.00", "UTIL"),
    _t("LAB-FLAG", "Flagger", "labor", "HR", "48.00", "TRAF"),
    _t("LAB-FINI", "Concrete Finisher", "labor", "HR", "76.00", "CONC"),
    # Equipment, billed by the hour or the day.
    _t("EQ-EXC", "Excavator, 36-ton", "equipment", "HR", "185.00", "CIVIL"),
    _t("EQ-MINI", "Mini Excavator", "equipment", "HR", "95.00", "CIVIL"),
    _t("EQ-SKID", "Skid Steer", "equipment", "HR", "85.00", "CIVIL"),
    _t("EQ-DUMP", "Dump Truck, Tandem", "equipment", "HR", "115.00", None),
    _t("EQ-PAVER", "Asphalt Paver", "equipment", "HR", "240.00", "PAVE"),
    _t("EQ-ROLL", "Vibratory Roller", "equipment", "HR", "95.00", "PAVE"),
    _t("EQ-BUCK", "Bucket Truck, 45 ft", "equipment", "HR", "125.00", "ELEC"),
    _t("EQ-TRENCH", "Ride-on Trencher", "equipment", "HR", "110.00", "ELEC"),
    _t("EQ-MSG", "Message Board", "equipment", "DAY", "150.00", "TRAF"),
    _t("EQ-LIGHT", "Light Tower", "equipment", "DAY", "175.00", "EQRENT"),
    _t("EQ-TBOX", "Trench Box", "equipment", "DAY", "210.00", "EQRENT"),
    # Materials, taxable.
    _t("MAT-BASE", "Class 6 Road Base", "materials", "TON", "28.50", "CIVIL"),
    _t("MAT-GRAV", "3/4 in. Washed Gravel", "materials", "TON", "34.00", "CIVIL"),
    _t("MAT-HMA", "Hot Mix Asphalt, SX 75", "materials", "TON", "92.00", "PAVE"),
    _t("MAT-COND2", "2 in. PVC Conduit, Sch 40", "materials", "FT", "3.85", "ELEC"),
    _t("MAT-WIRE", "#2 AWG Copper THHN", "materials", "FT", "4.95", "ELEC"),
    _t("MAT-PBOX", "Pull Box, 17x30", "materials", "EA", "265.00", "ELEC"),
    _t("MAT-PIPE8", "8 in. PVC Sewer Pipe, SDR 35", "materials", "FT", "18.50", "UTIL"),
    _t("MAT-CONC", "Concrete, 4000 psi", "materials", "CY", "185.00", "CONC"),
    # Reimbursable expenses, at cost.
    _t("EXP-PERD", "Per Diem", "expenses", "DAY", "65.00", None),
    _t("EXP-DUMP", "Dump Fees", "expenses", "LOAD", "85.00", None),
    _t("EXP-PERMIT", "Permit Fee", "expenses", "EA", "250.00", None),
)

# What a crew of each department brings to a job: labor classes, equipment, materials.
KITS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "CIVIL": (
        ("LAB-FORE", "LAB-OPER", "LAB-LABR", "LAB-DRVR"),
        ("EQ-EXC", "EQ-SKID", "EQ-DUMP", "EQ-MINI"),
        ("MAT-BASE", "MAT-GRAV"),
    ),
    "ELEC": (
        ("LAB-FORE", "LAB-ELEC", "LAB-APPR", "LAB-LABR"),
        ("EQ-BUCK", "EQ-TRENCH", "EQ-MINI"),
        ("MAT-COND2", "MAT-WIRE", "MAT-PBOX"),
    ),
    "PAVE": (
        ("LAB-FORE", "LAB-OPER", "LAB-LABR", "LAB-DRVR"),
        ("EQ-PAVER", "EQ-ROLL", "EQ-DUMP", "EQ-SKID"),
        ("MAT-HMA", "MAT-BASE"),
    ),
    "UTIL": (
        ("LAB-FORE", "LAB-PIPE", "LAB-OPER", "LAB-LABR"),
        ("EQ-EXC", "EQ-TBOX", "EQ-DUMP"),
        ("MAT-PIPE8", "MAT-GRAV"),
    ),
    "TRAF": (
        ("LAB-FORE", "LAB-FLAG", "LAB-ELEC", "LAB-LABR"),
        ("EQ-MSG", "EQ-BUCK"),
        ("MAT-COND2", "MAT-WIRE"),
    ),
    "CONC": (
        ("LAB-FORE", "LAB-FINI", "LAB-LABR"),
        ("EQ-SKID", "EQ-MINI", "EQ-DUMP"),
        ("MAT-CONC", "MAT-BASE"),
    ),
    "EQRENT": (
        ("LAB-OPER", "LAB-DRVR"),
        ("EQ-EXC", "EQ-SKID", "EQ-LIGHT", "EQ-TBOX"),
        (),
    ),
}
EXPENSES = ("EXP-PERD", "EXP-DUMP", "EXP-PERMIT")

# Chart of accounts: (code, name, type). Income is split by department and by kind of
# charge, each with taxable and exempt sub-accounts, so every distribution policy has a home.
DEPARTMENT_ACCOUNTS = {
    "CIVIL": "4100",
    "ELEC": "4200",
    "PAVE": "4300",
    "UTIL": "4400",
    "TRAF": "4500",
    "CONC": "4600",
    "EQRENT": "4700",
}
KIND_ACCOUNTS = {
    "labor": ("4010", "Labor Income"),
    "equipment": ("4020", "Equipment Income"),
    "materials": ("4030", "Materials Sales"),
    "expenses": ("4040", "Reimbursable Expense Income"),
    "fixed_price": ("4050", "Contract Income"),
    "adjustment": ("4900", "Billing Adjustments"),
}
RECEIVABLE_ACCOUNT = ("1100", "Accounts Receivable", "asset")
TAX_ACCOUNT = ("2100", "Sales Tax Payable", "liability")
DEPOSIT_ACCOUNT = ("2200", "Customer Deposits", "liability")
FREIGHT_ACCOUNT = ("4800", "Freight Income", "income")
OTHER_ACCOUNTS = (
    ("1000", "Operating Cash", "asset"),
    ("1300", "Retainage Receivable", "asset"),
    ("5000", "Direct Job Costs", "expense"),
)
