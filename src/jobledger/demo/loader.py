"""`seed_demo`: load the demo company once, then keep its logins' password current."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from jobledger.customers.models import Customer
from jobledger.demo import company, office, reference, timeline
from jobledger.demo.billing import plan_invoices
from jobledger.demo.catalog import REPRESENTATIVES
from jobledger.demo.corrections import with_corrections
from jobledger.demo.dates import DAY, Calendar, at
from jobledger.demo.logins import demo_password, ensure_people, logins_table, set_login_passwords
from jobledger.demo.plan import plan_jobs
from jobledger.demo.scale import add_invoices
from jobledger.demo.schedule import plan_office
from jobledger.demo.signatures import store_signatures
from jobledger.invoicing.models import Invoice
from jobledger.jobs.models import Job

SEED = 2026


class DemoRefused(Exception):
    """The database holds someone's own data; the demo company is not mixed into it."""


@dataclass(frozen=True)
class LoadReport:
    customers: int
    jobs: int
    invoices: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"Loaded the demo company: {self.customers} customers, {self.jobs} jobs, "
            f"{self.invoices} invoices in {self.seconds:.1f} s."
        )


def demo_loaded() -> bool:
    """The demo company is there when its admin login and its invoices are."""
    if not Invoice.objects.exists():
        if Customer.objects.exists() or Job.objects.exists():
            raise DemoRefused(
                "This database already holds customers or jobs; the demo company loads "
                "only into an empty database."
            )
        return False
    if not User.objects.filter(username="admin").exists():
        raise DemoRefused(
            "This database already holds invoices of its own; the demo company loads only "
            "into an empty database."
        )
    return True


def seed_demo(
    *, say: Callable[[str], None], verbosity: int = 1, scale: int = 0
) -> LoadReport | None:
    """Load the demo company on the first run; on every run, set and print the logins."""
    report = None
    if not demo_loaded():
        report = load_company()
        if verbosity >= 1:
            say(str(report))
    if scale:
        say(str(add_invoices(scale)))
    password = demo_password()
    set_login_passwords(password.value)
    say(logins_table(password))
    return report


@transaction.atomic
def load_company() -> LoadReport:
    started = time.monotonic()
    calendar = Calendar(timezone.localdate())
    rng = random.Random(SEED)
    users = ensure_people()
    admin = users["admin"]
    ref = reference.load_reference(admin)
    job_plans = plan_jobs(rng, calendar.today, calendar.first_day)
    invoice_plans = with_corrections(rng, plan_invoices(rng, job_plans, calendar), calendar)
    office_plan = plan_office(rng, invoice_plans, job_plans, calendar)

    jobs = company.build_jobs(job_plans, ref, users)
    company.build_dwrs(job_plans, jobs, ref, users, store_signatures(list(REPRESENTATIVES), SEED))
    invoices = company.build_invoices(invoice_plans, job_plans, jobs, ref, users)
    company.build_fixed_price_requests(invoice_plans, jobs, users, calendar.today, invoices)

    office.review(invoice_plans, invoices, users)
    office.distribute(invoice_plans, invoices, admin)
    record = office.OfficeRecord()
    office.export_and_process(office_plan, calendar.today, admin, record)
    office.confirm_imports(admin, calendar.today, record, SEED)
    office.pay_and_post(invoice_plans, invoices, admin)
    timeline.backdate(
        plans=invoice_plans,
        job_plans=job_plans,
        built=company.Built(jobs, invoices),
        record=record,
        calendar=calendar,
    )
    exported_at = at(calendar.last_run - 7 * DAY, 15)
    office.settle_customers(admin, office_plan.changed_customer, exported_at)
    reference.finish_company()
    return LoadReport(
        customers=Customer.objects.count(),
        jobs=len(jobs),
        invoices=len(invoices),
        seconds=time.monotonic() - started,
    )
