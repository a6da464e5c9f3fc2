"""Rows built straight in the database for the dashboard's counts."""

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from jobledger.invoicing.models import Invoice, InvoiceType, InvoicingPolicy, Stage
from jobledger.jobs.models import DWR, DWRStatus, Job


@pytest.fixture
def make_invoice(job: Job) -> Callable[..., Invoice]:
    """Build an invoice straight in the database: `make_invoice(Stage.ADMIN, "125.00")`."""
    numbers = itertools.count(5001)

    def make(stage: Stage, total: str) -> Invoice:
        day = datetime.date(2025, 3, 14)
        amount = Decimal(total)
        return Invoice.objects.create(
            number=next(numbers),
            job=job,
            customer=job.customer,
            type=InvoiceType.PARTIAL,
            policy=InvoicingPolicy.PROGRESS_ITEMIZED,
            stage=stage,
            invoice_date=day,
            due_date=day + datetime.timedelta(days=30),
            subtotal=amount,
            total=amount,
            created_by=job.project_manager,
        )

    return make


@pytest.fixture
def make_dwr(job: Job) -> Callable[..., DWR]:
    def make(author: User, status: DWRStatus) -> DWR:
        return DWR.objects.create(
            job=job, work_date=datetime.date(2025, 3, 14), author=author, status=status
        )

    return make
