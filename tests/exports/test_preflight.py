"""Pre-flight: every chosen invoice checked before a file is written, each problem named
with its invoice and what to do about it."""

from decimal import Decimal

import pytest

from jobledger.core.models import AuditEvent
from jobledger.customers.models import Customer
from jobledger.exports.formats import FORMATS
from jobledger.exports.formats.base import ExportFormat
from jobledger.exports.formats.csv_generic import write as csv_write
from jobledger.exports.models import ExportBatch
from jobledger.exports.preflight import Preflight, export_preflight
from jobledger.exports.services import ExportBlocked, export_batch_create
from jobledger.invoicing.models import Invoice, InvoiceLine
from jobledger.invoicing.services import invoice_submit
from jobledger.ledger.models import DistributionCategory, DistributionLine
from tests.factories import approve_simple_distribution, make_admin_invoice, make_invoice

D = Decimal


@pytest.fixture
def approved(administrator, project_manager, job, accounts):
    def make(**kwargs) -> Invoice:
        invoice = make_admin_invoice(actor=project_manager, job=job, **kwargs)
        return approve_simple_distribution(administrator, invoice, accounts)

    return make


def preflight(invoices, format_key="csv", **kwargs) -> Preflight:
    return export_preflight(format_key=format_key, invoice_ids=[i.pk for i in invoices], **kwargs)


def test_clean_invoices_are_ready_in_number_order(approved) -> None:
    invoices = [approved(), approved(), approved()]

    result = preflight(reversed(invoices))

    assert result.ready == tuple(i.number for i in invoices)
    assert result.ready_ids == tuple(i.pk for i in invoices)
    assert result.problems == {}
    assert result.already_exported == ()
    assert result.format_label == "CSV (other systems)"


def test_preflight_writes_nothing(project_manager, job, approved) -> None:
    invoices = [approved(), make_admin_invoice(actor=project_manager, job=job)]
    before = (ExportBatch.objects.count(), AuditEvent.objects.count())

    preflight(invoices)

    assert (ExportBatch.objects.count(), AuditEvent.objects.count()) == before
    assert not Invoice.objects.filter(last_exported_at__isnull=False).exists()


def test_unapproved_distribution(project_manager, job) -> None:
    invoice = make_admin_invoice(actor=project_manager, job=job)

    assert preflight([invoice]).problems == {
        invoice.number: (
            f"Invoice {invoice.number}: the distribution is not approved; approve it on the "
            "Distribution page.",
        )
    }


@pytest.mark.parametrize(("submitted", "stage"), [(False, "Draft"), (True, "PM Review")])
def test_invoice_not_yet_in_the_admin_tab(
    administrator, project_manager, job, accounts, submitted, stage
) -> None:
    invoice = make_invoice(actor=project_manager, job=job)
    if submitted:
        invoice_submit(actor=project_manager, invoice=invoice)
    approve_simple_distribution(administrator, invoice, accounts)

    assert preflight([invoice]).problems[invoice.number] == (
        f"Invoice {invoice.number} has not reached the Admin stage yet (it is in {stage}).",
    )


def test_customer_without_a_code(approved, job) -> None:
    invoice = approved()
    Customer.objects.filter(pk=job.customer.pk).update(code=" ")

    assert preflight([invoice]).problems[invoice.number] == (
        f"Invoice {invoice.number}: customer {job.customer.name} has no code; give the "
        "customer the code your accounting system knows.",
    )


def test_invoice_without_lines(approved) -> None:
    invoice = approved()
    InvoiceLine.objects.filter(invoice=invoice).delete()

    assert preflight([invoice]).problems[invoice.number] == (
        f"Invoice {invoice.number} has no lines; add them before exporting it.",
    )


def test_distribution_changed_after_approval_no_longer_balances(approved) -> None:
    invoice = approved()
    line = DistributionLine.objects.filter(invoice=invoice, amount__lt=0).get()
    DistributionLine.objects.filter(pk=line.pk).update(amount=line.amount + D("0.05"))

    assert preflight([invoice]).problems[invoice.number] == (
        f"Invoice {invoice.number}: the distribution does not balance (it is off by 0.05); "
        "correct it on the Distribution page.",
    )


def test_distribution_that_leaves_part_of_the_total_undistributed(approved) -> None:
    invoice = approved()
    DistributionLine.objects.filter(invoice=invoice).update(amount=D("0.00"))
    DistributionLine.objects.filter(invoice=invoice).first().delete()

    assert preflight([invoice]).problems[invoice.number] == (
        f"Invoice {invoice.number}: 680.00 of the total is not distributed; correct the "
        "distribution on the Distribution page.",
    )


def test_without_integration_an_unmapped_category_is_named(
    company, project_manager, job, category_mappings
) -> None:
    company.accounting_integration = False
    company.save()
    DistributionCategory.objects.filter(key="kind:labor").update(account=None)
    invoice = make_admin_invoice(actor=project_manager, job=job)

    assert preflight([invoice]).problems[invoice.number] == (
        f"Invoice {invoice.number}: no GL account is mapped for Labor; map it in the "
        "distribution settings.",
    )


def test_without_integration_mapped_invoices_are_ready(
    company, project_manager, job, category_mappings
) -> None:
    company.accounting_integration = False
    company.save()
    invoice = make_admin_invoice(actor=project_manager, job=job)

    assert preflight([invoice]).ready == (invoice.number,)


def test_a_formats_own_check_is_named_with_its_invoice(monkeypatch, approved) -> None:
    invoices = [approved(), approved(lines=None, po_number="PO-7")]

    def check(doc) -> list[str]:
        if doc.po_number:
            return [
                "line 1 has no income account: map its category on the Distribution settings",
                f"Invoice {doc.number} has a PO number this target cannot take.",
            ]
        return []

    fmt = ExportFormat("checked", "Checked", "csv", "text/csv", csv_write, check=check)
    monkeypatch.setitem(FORMATS, fmt.key, fmt)

    result = preflight(invoices, "checked")

    number = invoices[1].number
    assert result.ready == (invoices[0].number,)
    assert result.messages == list(result.problems[number])
    assert result.problems == {
        number: (
            f"Invoice {number}: line 1 has no income account: map its category on the "
            "Distribution settings.",
            f"Invoice {number} has a PO number this target cannot take.",
        )
    }


def test_already_exported_invoices_are_set_aside_not_counted_as_problems(
    administrator, approved
) -> None:
    earlier, new = approved(), approved()
    export_batch_create(actor=administrator, invoice_ids=[earlier.pk], format_key="csv")

    skipped = preflight([earlier, new])
    included = preflight([earlier, new], include_already_exported=True)

    assert (skipped.ready, skipped.already_exported, skipped.problems) == (
        (new.number,),
        (earlier.number,),
        {},
    )
    assert (included.ready, included.already_exported) == ((earlier.number, new.number), ())


def test_unknown_format_refused(refused, approved) -> None:
    invoice = approved()

    with refused("“qif” is not an export format.", invoice):
        preflight([invoice], "qif")


def test_the_refusal_lists_the_first_ten_and_counts_the_rest(
    refused, administrator, project_manager, job
) -> None:
    invoices = [make_admin_invoice(actor=project_manager, job=job) for _ in range(12)]

    with refused(
        f"Nothing was exported: none of the 12 invoices can go out as they are. Invoice "
        f"{invoices[0].number}: the distribution is not approved",
        *invoices,
        error=ExportBlocked,
    ) as info:
        export_batch_create(
            actor=administrator, invoice_ids=[i.pk for i in invoices], format_key="csv"
        )

    message = info.value.message
    assert f"Invoice {invoices[9].number}:" in message
    assert f"Invoice {invoices[10].number}:" not in message
    assert message.endswith(" 2 more invoices have problems too. Correct these and export again.")
    assert len(info.value.preflight.problems) == 12


def test_with_every_problem_listed_the_clean_ones_can_still_go_out(
    administrator, project_manager, job, approved
) -> None:
    clean = approved()
    held = make_admin_invoice(actor=project_manager, job=job)
    seen = preflight([clean, held])

    result = export_batch_create(
        actor=administrator, invoice_ids=seen.ready_ids, format_key="csv", only_ready=True
    )

    assert list(result.batch.invoices.all()) == [clean]
    assert result.problems == {}
