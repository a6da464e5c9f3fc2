"""Invoice numbers: sequential from the company setting, unique, never handed out twice."""

from decimal import Decimal

import pytest

from jobledger.core.models import CompanySettings
from jobledger.invoicing.models import Invoice
from jobledger.invoicing.services import invoice_delete
from tests.factories import JobFactory, labor_line, make_invoice


def next_number() -> int:
    return CompanySettings.objects.get(pk=1).next_invoice_number


def test_numbers_run_sequentially_from_the_company_setting(
    company, administrator, project_manager, job
) -> None:
    company.next_invoice_number = 5000
    company.save()
    other_job = JobFactory(project_manager=project_manager)

    numbers = [
        make_invoice(actor=project_manager, job=job).number,
        make_invoice(actor=administrator, job=other_job).number,
        make_invoice(actor=project_manager, job=job).number,
    ]

    assert numbers == [5000, 5001, 5002]
    assert next_number() == 5003


def test_number_of_a_deleted_invoice_is_never_reused(company, project_manager, job) -> None:
    company.next_invoice_number = 700
    company.save()
    make_invoice(actor=project_manager, job=job)
    last = make_invoice(actor=project_manager, job=job)

    invoice_delete(actor=project_manager, invoice=last)
    following = make_invoice(actor=project_manager, job=job)

    assert not Invoice.objects.filter(number=701).exists()
    assert following.number == 702


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"freight": Decimal("-1.00")}, "Freight cannot be negative", id="freight"),
        pytest.param({"lines": [labor_line(hours="-1")]}, "cannot be negative", id="total"),
        pytest.param({"deposit_applied": Decimal("5.00")}, "of deposits remain", id="deposit"),
    ],
)
def test_refused_creation_does_not_use_up_a_number(
    refused, company, project_manager, job, kwargs, message
) -> None:
    company.next_invoice_number = 900
    company.save()
    make_invoice(actor=project_manager, job=job)

    with refused(message, job):
        make_invoice(actor=project_manager, job=job, **kwargs)

    assert next_number() == 901
    assert make_invoice(actor=project_manager, job=job).number == 901


def test_number_already_taken_is_skipped(company, project_manager, job) -> None:
    company.next_invoice_number = 300
    company.save()
    taken = make_invoice(actor=project_manager, job=job)
    # Someone set the sequence back, e.g. after restoring settings from an old backup.
    CompanySettings.objects.filter(pk=1).update(next_invoice_number=taken.number)

    invoice = make_invoice(actor=project_manager, job=job)

    assert invoice.number == taken.number + 1
    assert next_number() == taken.number + 2
