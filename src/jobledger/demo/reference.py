"""The set-up an administrator does once: company settings, catalog, customers, GL accounts."""

from dataclasses import dataclass

from django.contrib.auth.models import User

from jobledger.core.models import CompanySettings
from jobledger.customers.models import Customer, TaxCode
from jobledger.customers.services import customer_create
from jobledger.demo import catalog
from jobledger.demo.catalog_customers import CUSTOMERS, EINVOICE_CUSTOMERS, CustomerSpec
from jobledger.jobs.models import Department, Task
from jobledger.ledger import policies
from jobledger.ledger.models import AccountType, DistributionPolicy, GLAccount, LedgerSettings
from jobledger.ledger.services import distribution_category_map

# While loading, invoices are dated up to this many days back; the company keeps 30 after.
LOADING_BACKDATING_DAYS = 400
BACKDATING_DAYS = 30


@dataclass
class Reference:
    departments: dict[str, Department]
    tasks: dict[str, Task]
    customers: dict[str, Customer]
    accounts: dict[str, GLAccount]


def load_reference(admin: User) -> Reference:
    configure_company(backdating_days=LOADING_BACKDATING_DAYS)
    tax_codes = {
        code: TaxCode.objects.create(code=code, name=name, rate=rate)
        for code, name, rate in catalog.TAX_CODES
    }
    departments = {
        code: Department.objects.create(code=code, name=name) for code, name in catalog.DEPARTMENTS
    }
    tasks = {spec.code: _task(spec, departments) for spec in catalog.TASKS}
    customers = {spec.code: create_customer(admin, spec, tax_codes) for spec in CUSTOMERS}
    accounts = _chart_of_accounts()
    _map_categories(admin, accounts)
    return Reference(departments, tasks, customers, accounts)


def configure_company(*, backdating_days: int) -> None:
    company = CompanySettings.load()
    for field, value in catalog.COMPANY.items():
        setattr(company, field, value)
    company.accounting_integration = True
    company.backdating_days = backdating_days
    company.lock_date = None
    company.next_invoice_number = max(company.next_invoice_number, catalog.FIRST_INVOICE_NUMBER)
    company.save()


def finish_company() -> None:
    """The settings a company keeps day to day: a 30-day backdating window, no lock date."""
    CompanySettings.objects.filter(pk=1).update(backdating_days=BACKDATING_DAYS, lock_date=None)


def create_customer(admin: User, spec: CustomerSpec, tax_codes: dict[str, TaxCode]) -> Customer:
    return customer_create(
        actor=admin,
        code=spec.code,
        name=spec.name,
        address1=spec.address1,
        city=spec.city,
        region="CO",
        postal_code=spec.postal_code,
        contact_name=spec.contact_name,
        email=spec.email,
        phone=spec.phone,
        terms_days=spec.terms_days,
        taxable=spec.tax_code is not None,
        tax_code=tax_codes[spec.tax_code] if spec.tax_code else None,
        **_einvoice_details(spec.code),
    )


def _einvoice_details(code: str) -> dict[str, object]:
    if code not in EINVOICE_CUSTOMERS:
        return {}
    endpoint, reference = EINVOICE_CUSTOMERS[code]
    return {
        "wants_einvoices": True,
        "peppol_scheme": "0088",
        "peppol_id": endpoint,
        "buyer_reference": reference,
    }


def _task(spec: catalog.TaskSpec, departments: dict[str, Department]) -> Task:
    return Task.objects.create(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        unit=spec.unit,
        rate=spec.rate,
        taxable=spec.taxable,
        default_department=departments[spec.department] if spec.department else None,
    )


def _chart_of_accounts() -> dict[str, GLAccount]:
    rows = [
        catalog.RECEIVABLE_ACCOUNT,
        catalog.TAX_ACCOUNT,
        catalog.DEPOSIT_ACCOUNT,
        catalog.FREIGHT_ACCOUNT,
        *catalog.OTHER_ACCOUNTS,
    ]
    names = dict(catalog.DEPARTMENTS)
    for dept, code in catalog.DEPARTMENT_ACCOUNTS.items():
        rows += _income_family(code, f"{names[dept]} Income")
    for code, name in catalog.KIND_ACCOUNTS.values():
        rows += _income_family(code, name)
    accounts = GLAccount.objects.bulk_create(
        GLAccount(code=code, name=name, type=AccountType(kind)) for code, name, kind in rows
    )
    return {account.code: account for account in accounts}


def _income_family(code: str, name: str) -> list[tuple[str, str, str]]:
    """An income account with its taxable (…1) and exempt (…2) sub-accounts."""
    base = int(code)
    return [
        (code, name, "income"),
        (str(base + 1), f"{name}, Taxable", "income"),
        (str(base + 2), f"{name}, Exempt", "income"),
    ]


def category_accounts() -> dict[str, list[tuple[str, str, str]]]:
    """Every category key of every policy, with its label and the account code it books to."""
    fixed = [
        (policies.RECEIVABLE, policies.FIXED_KEYS[policies.RECEIVABLE], "1100"),
        (policies.TAX, policies.FIXED_KEYS[policies.TAX], "2100"),
        (policies.FREIGHT, policies.FIXED_KEYS[policies.FREIGHT], "4800"),
        (policies.DEPOSIT, policies.FIXED_KEYS[policies.DEPOSIT], "2200"),
    ]
    names = dict(catalog.DEPARTMENTS)
    by_dept = [(f"dept:{d}", names[d], c) for d, c in catalog.DEPARTMENT_ACCOUNTS.items()]
    by_kind = [
        (f"kind:{k}", policies.KIND_LABELS[k], c) for k, (c, _) in catalog.KIND_ACCOUNTS.items()
    ]
    return {
        DistributionPolicy.DEPARTMENT: fixed + by_dept,
        DistributionPolicy.DEPARTMENT_TAX: fixed + _split(by_dept),
        DistributionPolicy.CATEGORY: fixed + by_kind,
        DistributionPolicy.CATEGORY_TAXABLE: fixed + _split(by_kind),
    }


def _split(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    split = []
    for key, label, code in rows:
        split.append((f"{key}:taxable", f"{label}, Taxable", str(int(code) + 1)))
        split.append((f"{key}:nontaxable", f"{label}, Non-taxable", str(int(code) + 2)))
    return split


def _map_categories(admin: User, accounts: dict[str, GLAccount]) -> None:
    ledger = LedgerSettings.load()
    ledger.default_policy = DistributionPolicy.DEPARTMENT_TAX
    ledger.enabled_policies = [p.value for p in DistributionPolicy]
    ledger.save()
    for policy, rows in category_accounts().items():
        for key, label, code in rows:
            distribution_category_map(
                actor=admin, policy=policy, key=key, label=label, account=accounts[code]
            )
