"""Rows built straight in the database for the dashboard's counts."""

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jobledger.invoicing.models import Invoice, InvoiceType, InvoicingPolicy, Stage
from jobledger.jobs.models import DWR, DWRStatus, Job


@pytest.fixture
def make_invoice(job: Job, add_invoice: Callable[..., Invoice]) -> Callable[..., Invoice]:
    """Build an invoice straight in the database: `make_invoice(Stage.ADMIN, "125.00")`."""
    numbers = itertools.count(5001)

    def make(stage: Stage, total: str) -> Invoice:
        return add_invoice(
            job, stage, number=next(numbers), total=total, created_by=job.project_manager
        )

    return make


@pytest.fixture
def make_dwr(job: Job) -> Callable[..., DWR]:
    def make(author: User, status: DWRStatus) -> DWR:
        return DWR.objects.create(
            job=job, work_date=datetime.date(2025, 3, 14), author=author, status=status
        )

    return make


@pytest.fixture
def admin_client(administrator: User) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def add_invoice(administrator: User) -> Callable[..., Invoice]:
    """`add_invoice(job, stage, number=..., day=..., total=...)`, straight in the database."""

    def add(
        job: Job,
        stage: Stage = Stage.ADMIN,
        *,
        number: int,
        day: datetime.date = datetime.date(2025, 3, 14),
        total: str = "100.00",
        **fields: object,
    ) -> Invoice:
        amount = Decimal(total)
        return Invoice.objects.create(
            number=number,
            job=job,
            customer=job.customer,
            type=InvoiceType.PARTIAL,
            policy=InvoicingPolicy.PROGRESS_ITEMIZED,
            stage=stage,
            invoice_date=day,
            due_date=day + datetime.timedelta(days=30),
            subtotal=amount,
            total=amount,
            created_by=fields.pop("created_by", administrator),
            **fields,
        )

    return add
