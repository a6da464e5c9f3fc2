"""Factories for the domain, and helpers that build invoices through the real services."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from jobledger.core.roles import ADMINISTRATOR
from jobledger.customers.models import Customer, TaxCode
from jobledger.exports.services import export_batch_create
from jobledger.invoicing.job_billing import job_billing
from jobledger.invoicing.models import Invoice, InvoicingPolicy, LineKind
from jobledger.invoicing.policies import PolicyRequest, generate_invoice
from jobledger.invoicing.services import LineInput, invoice_approve, invoice_create, invoice_submit
from jobledger.jobs.models import (
    DWR,
    BillingType,
    Department,
    DWRLine,
    DWRStatus,
    FixedPriceRequest,
    Job,
    RequestStatus,
    Task,
)
from jobledger.ledger.models import GLAccount
from jobledger.ledger.services import (
    DistributionInput,
    distribution_approve,
    distribution_set_lines,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
            self.is_staff = extracted == ADMINISTRATOR
            self.save(update_fields=["is_staff"])


class TaxCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxCode
        django_get_or_create = ("code",)

    code = "STATE"
    name = "State sales tax"
    rate = Decimal("8.2500")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"CUST{n:03d}")
    name = factory.Sequence(lambda n: f"Customer {n} LLC")
    address1 = "100 Main St"
    city = "Austin"
    region = "TX"
    postal_code = "78701"
    terms_days = 30
    taxable = True
    tax_code = factory.SubFactory(TaxCodeFactory)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "CIVIL"
    name = "Civil"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    code = factory.Sequence(lambda n: f"TASK{n}")
    name = factory.Sequence(lambda n: f"Task {n}")
    kind = "labor"
    unit = "HR"
    rate = Decimal("85.00")
    default_department = factory.SubFactory(DepartmentFactory)


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    number = factory.Sequence(lambda n: f"J-{n:04d}")
    name = factory.Sequence(lambda n: f"Job {n}")
    customer = factory.SubFactory(CustomerFactory)
    project_manager = factory.SubFactory(UserFactory)
    billing_type = BillingType.TIME_AND_MATERIALS
    contract_price = Decimal("0")
    department = factory.SubFactory(DepartmentFactory)


def approved_charge(
    job: Job, *, kind: str = "labor", quantity: str = "8", rate: str = "85.00", **fields: object
) -> DWRLine:
    """One charge of an approved DWR on the job: a time-and-materials invoiceable."""
    dwr = DWR.objects.create(
        job=job,
        work_date=timezone.localdate(),
        author=job.project_manager,
        status=DWRStatus.APPROVED,
    )
    return DWRLine.objects.create(
        dwr=dwr, kind=kind, quantity=Decimal(quantity), rate=Decimal(rate), **fields
    )


def approved_request(
    job: Job, *, amount: str | None = None, percent: str | None = None, note: str = ""
) -> FixedPriceRequest:
    """An approved request to bill part of a fixed-price job: an amount or a percent."""
    return FixedPriceRequest.objects.create(
        job=job,
        requested_by=job.project_manager,
        amount=Decimal(amount) if amount else None,
        percent_complete=Decimal(percent) if percent else None,
        note=note,
        status=RequestStatus.APPROVED,
    )


def invoice_by_policy(
    *,
    actor: User,
    job: Job,
    policy: str,
    invoice_date: datetime.date | None = None,
    **choice: object,
) -> Invoice:
    """An invoice saved with exactly the lines and deposit its invoicing policy generates."""
    job.refresh_from_db()
    generated = generate_invoice(job_billing(job), PolicyRequest(policy=policy, **choice))
    return invoice_create(
        actor=actor,
        job=job,
        policy=policy,
        invoice_date=invoice_date or timezone.localdate(),
        lines=generated.lines,
        deposit_applied=generated.deposit_applied,
        corrects=generated.corrects,
    )


def labor_line(hours: str = "8", rate: str = "85.00", taxable: bool = False) -> LineInput:
    return LineInput(
        kind=LineKind.LABOR,
        description="Foreman",
        quantity=Decimal(hours),
        rate=Decimal(rate),
        taxable=taxable,
        unit="HR",
    )


def make_invoice(
    *,
    actor: User,
    job: Job,
    policy: str = InvoicingPolicy.PROGRESS_ITEMIZED,
    lines: list[LineInput] | None = None,
    invoice_date: datetime.date | None = None,
    **kwargs: object,
) -> Invoice:
    return invoice_create(
        actor=actor,
        job=job,
        policy=policy,
        invoice_date=invoice_date or timezone.localdate(),
        lines=lines or [labor_line()],
        **kwargs,  # type: ignore[arg-type]
    )


def make_admin_invoice(*, actor: User, job: Job, **kwargs: object) -> Invoice:
    """An invoice that has cleared PM Review and sits in the Admin tab."""
    invoice = make_invoice(actor=actor, job=job, **kwargs)  # type: ignore[arg-type]
    invoice_submit(actor=actor, invoice=invoice)
    return invoice_approve(actor=actor, invoice=invoice)


def approve_simple_distribution(
    actor: User, invoice: Invoice, accounts: dict[str, GLAccount]
) -> Invoice:
    """Receivable debited with the total, labor income credited with it; then approved."""
    distribution_set_lines(
        actor=actor,
        invoice=invoice,
        lines=[
            DistributionInput(accounts["ar"], invoice.total),
            DistributionInput(accounts["labor"], -invoice.total),
        ],
    )
    return distribution_approve(actor=actor, invoice=invoice)


def export_invoices(actor: User, invoices: list[Invoice], accounts: dict[str, GLAccount]) -> None:
    """Approve each invoice's distribution and export them in one CSV batch."""
    for invoice in invoices:
        approve_simple_distribution(actor, invoice, accounts)
    export_batch_create(actor=actor, invoice_ids=[inv.pk for inv in invoices], format_key="csv")
