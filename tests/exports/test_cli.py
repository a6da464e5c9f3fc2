"""The export commands: export_formats, export_invoices and export_customers."""

import dataclasses
import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jobledger.core.roles import ADMINISTRATOR
from jobledger.exports.formats import FORMATS
from jobledger.exports.models import ExportBatch
from jobledger.invoicing.models import Invoice
from jobledger.invoicing.services import invoice_process
from tests.factories import (
    CustomerFactory,
    JobFactory,
    UserFactory,
    approve_simple_distribution,
    make_admin_invoice,
)


@pytest.fixture
def approved(administrator, project_manager, job, accounts):
    def make(on_job=None, **kwargs) -> Invoice:
        invoice = make_admin_invoice(actor=project_manager, job=on_job or job, **kwargs)
        return approve_simple_distribution(administrator, invoice, accounts)

    return make


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def fails(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        run(*args)
    assert info.value.returncode == 1
    return info.value


def test_export_formats_lists_every_key_and_label(db) -> None:
    lines = run("export_formats").splitlines()

    assert len(lines) == len(FORMATS)
    for key, fmt in FORMATS.items():
        assert any(line.startswith(f"{key} ") and fmt.label in line for line in lines), key


def test_export_invoices_writes_a_recorded_batch(administrator, approved, tmp_path) -> None:
    invoices = [approved(), approved()]
    out = tmp_path / "month.csv"

    printed = run("export_invoices", "--format", "csv", "--out", str(out), "--note", "March")

    batch = ExportBatch.objects.get()
    assert out.read_bytes() == bytes(batch.content)
    assert set(batch.invoices.all()) == set(invoices)
    assert (batch.created_by, batch.note) == (administrator, "March")
    assert f"Batch {batch.pk}: 2 invoices in the CSV (other systems) format" in printed
    assert batch.file_name in printed
    assert f"Wrote {out}" in printed
    assert batch.checksum in printed
    assert all(Invoice.objects.get(pk=i.pk).is_exported for i in invoices)


def test_export_invoices_into_a_folder_uses_the_batch_file_name(
    administrator, approved, tmp_path
) -> None:
    approved()

    run("export_invoices", "--format", "csv", "--out", str(tmp_path), "--prefix", "QB")

    batch = ExportBatch.objects.get()
    assert batch.file_name.startswith("QB")
    assert (tmp_path / batch.file_name).read_bytes() == bytes(batch.content)


def test_skipped_invoices_are_named_with_their_reasons(
    administrator, project_manager, job, approved, tmp_path
) -> None:
    exported_before = approved()
    run("export_invoices", "--format", "csv", "--out", str(tmp_path / "first.csv"))
    ready = approved()
    unapproved = make_admin_invoice(actor=project_manager, job=job)

    printed = run("export_invoices", "--format", "csv", "--out", str(tmp_path / "second.csv"))

    assert list(ExportBatch.objects.first().invoices.all()) == [ready]
    assert (
        f"Skipped Invoice {unapproved.number}: the distribution is not approved; approve it on "
        "the Distribution page." in printed
    )
    assert (
        f"Skipped Invoice {exported_before.number}: exported before; add --include-exported "
        "to send it again." in printed
    )


def test_include_exported_sends_them_again(administrator, approved, tmp_path) -> None:
    invoice = approved()
    run("export_invoices", "--format", "csv", "--out", str(tmp_path / "a.csv"))

    run(
        "export_invoices", "--format", "csv", "--out", str(tmp_path / "b.csv"), "--include-exported"
    )

    again = ExportBatch.objects.first()
    assert list(again.invoices.all()) == [invoice]
    assert again.include_already_exported is True


def test_nothing_exportable_exits_with_one_and_writes_nothing(
    administrator, project_manager, job, tmp_path
) -> None:
    held = make_admin_invoice(actor=project_manager, job=job)
    out = tmp_path / "out.csv"
    printed = io.StringIO()

    with pytest.raises(CommandError) as info:
        call_command("export_invoices", "--format", "csv", "--out", str(out), stdout=printed)

    assert info.value.returncode == 1
    assert str(info.value) == "Nothing was exported: no matching invoice can go out."
    assert f"Skipped Invoice {held.number}: the distribution is not approved" in printed.getvalue()
    assert not out.exists()
    assert not ExportBatch.objects.exists()


def test_everything_exported_before_exits_with_one(administrator, approved, tmp_path) -> None:
    approved()
    run("export_invoices", "--format", "csv", "--out", str(tmp_path / "a.csv"))

    error = fails("export_invoices", "--format", "csv", "--out", str(tmp_path / "b.csv"))

    assert str(error) == "Nothing was exported: every matching invoice was exported before."
    assert ExportBatch.objects.count() == 1


def test_filters_choose_the_invoices(
    administrator, project_manager, approved, job, tmp_path
) -> None:
    other_job = JobFactory(project_manager=project_manager, customer=CustomerFactory(code="ZED"))
    mine = approved()
    theirs = approved(on_job=other_job)
    processed = approved()
    invoice_process(actor=administrator, invoice=processed)

    def exported(*options: str) -> set[Invoice]:
        ExportBatch.objects.all().delete()
        Invoice.objects.update(last_exported_at=None)
        run("export_invoices", "--format", "csv", "--out", str(tmp_path / "x.csv"), *options)
        return set(ExportBatch.objects.get().invoices.all())

    assert exported() == {mine, theirs}
    assert exported("--client", "zed") == {theirs}
    assert exported("--job", job.number) == {mine}
    assert exported("--stage", "processed") == {processed}
    assert exported("--stage", "all") == {mine, theirs, processed}
    today = mine.invoice_date.isoformat()
    assert exported("--from", today, "--to", today) == {mine, theirs}


def test_a_split_export_is_written_as_a_zip(monkeypatch, administrator, approved, tmp_path) -> None:
    for _ in range(3):
        approved()
    monkeypatch.setitem(
        FORMATS, "csv", dataclasses.replace(FORMATS["csv"], max_invoices_per_file=2)
    )

    printed = run("export_invoices", "--format", "csv", "--out", str(tmp_path))

    batch = ExportBatch.objects.get()
    assert batch.file_name.endswith(".zip")
    assert "The file is a zip of 2 parts." in printed
    assert len(zipfile.ZipFile(tmp_path / batch.file_name).namelist()) == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--format", "qif"], "“qif” is not an export format; choose one of"),
        (["--format", "csv", "--from", "03/01/2025"], "--from takes a date as YYYY-MM-DD"),
        (["--format", "csv", "--from", "2025-03-02", "--to", "2025-03-01"], "--from is after --to"),
        (["--format", "csv", "--user", "nobody"], "There is no active user called “nobody”."),
        (["--format", "csv", "--client", "NOPE"], "No invoice matches these options"),
    ],
)
def test_bad_arguments_are_refused_clearly(
    administrator, approved, tmp_path, options, message
) -> None:
    approved()

    error = fails("export_invoices", "--out", str(tmp_path / "x.csv"), *options)

    assert message in str(error)
    assert not ExportBatch.objects.exists()


def test_an_output_folder_that_does_not_exist_is_refused(administrator, approved, tmp_path):
    approved()

    error = fails("export_invoices", "--format", "csv", "--out", str(tmp_path / "no" / "x.csv"))

    assert "does not exist; nothing was exported" in str(error)
    assert not ExportBatch.objects.exists()


def test_with_two_administrators_the_user_must_be_named(administrator, approved, tmp_path) -> None:
    second = UserFactory(username="admin2", role=ADMINISTRATOR)
    approved()
    out = str(tmp_path / "x.csv")

    error = fails("export_invoices", "--format", "csv", "--out", out)
    assert "name the one who exports with --user" in str(error)

    run("export_invoices", "--format", "csv", "--out", out, "--user", "admin2")
    assert ExportBatch.objects.get().created_by == second


def test_a_user_who_is_not_an_administrator_is_refused(
    administrator, project_manager, approved, tmp_path
) -> None:
    approved()

    error = fails(
        "export_invoices", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--user", "pm"
    )

    assert str(error) == "Only Administrators can process and export invoices."
    assert not ExportBatch.objects.exists()


# Customers


def test_export_customers_writes_the_changed_ones(administrator, job, tmp_path) -> None:
    out = tmp_path / "customers.csv"

    printed = run("export_customers", "--format", "csv", "--out", str(out))

    batch = ExportBatch.objects.get()
    assert out.read_bytes() == bytes(batch.content)
    assert list(batch.customers.all()) == [job.customer]
    assert f"Batch {batch.pk}: 1 customer in the CSV (other systems) layout" in printed
    job.customer.refresh_from_db()
    assert job.customer.changed_since_export is False


def test_export_customers_again_needs_all(administrator, job, tmp_path) -> None:
    run("export_customers", "--format", "csv", "--out", str(tmp_path))

    error = fails("export_customers", "--format", "csv", "--out", str(tmp_path))
    assert "No customer is new or changed" in str(error)

    run("export_customers", "--format", "csv", "--out", str(tmp_path), "--all")
    assert ExportBatch.objects.count() == 2


def test_export_customers_refuses_an_unknown_format(administrator, tmp_path) -> None:
    error = fails("export_customers", "--format", "qif", "--out", str(tmp_path))

    assert "“qif” is not an export format" in str(error)


def test_dates_are_read_as_iso(administrator, approved, tmp_path) -> None:
    invoice = approved()
    day = invoice.invoice_date + datetime.timedelta(days=1)

    error = fails(
        "export_invoices", "--format", "csv", "--out", str(tmp_path), "--from", day.isoformat()
    )

    assert "No invoice matches these options" in str(error)
