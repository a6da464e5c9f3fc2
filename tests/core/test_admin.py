"""The Django admin saves through the services, so its edits keep every rule and audit."""

from django.test import Client

from jobledger.core.models import AuditEvent, CompanySettings
from jobledger.customers.models import Customer
from jobledger.jobs.models import Department, Job, JobStatus
from jobledger.ledger.models import DistributionCategory, GLAccount
from tests.factories import CustomerFactory

ADMIN = "/django-admin"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def customer_form(**fields: object) -> dict[str, object]:
    return {"country": "US", "terms_days": 30, "taxable": "on", "active": "on", **fields}


def test_customer_added_and_changed_through_the_services(administrator) -> None:
    client = logged_in(administrator)

    added = client.post(
        f"{ADMIN}/customers/customer/add/", customer_form(code="NEW", name="New Co")
    )
    customer = Customer.objects.get(code="NEW")
    Customer.objects.filter(pk=customer.pk).update(changed_since_export=False)
    changed = client.post(
        f"{ADMIN}/customers/customer/{customer.pk}/change/", customer_form(name="New Co Ltd")
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    customer.refresh_from_db()
    assert customer.name == "New Co Ltd"
    assert customer.changed_since_export
    assert AuditEvent.objects.filter(action="customer changed", subject_id=customer.pk).exists()


def test_job_close_action_keeps_the_rules(administrator) -> None:
    client = logged_in(administrator)
    customer = CustomerFactory()
    department = Department.objects.create(code="E", name="Electrical")
    form = {
        "number": "J1", "name": "Job", "customer": customer.pk, "project_manager": administrator.pk,
        "billing_type": "fixed", "contract_price": "1000.00", "department": department.pk,
    }  # fmt: skip
    assert client.post(f"{ADMIN}/jobs/job/add/", form).status_code == 302
    job = Job.objects.get(number="J1")
    close = {"action": "close_jobs", "_selected_action": [job.pk]}

    client.post(f"{ADMIN}/jobs/job/", close)
    again = client.post(f"{ADMIN}/jobs/job/", close, follow=True)

    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED
    assert "only an open job can be closed" in again.content.decode()


def test_category_mapping_edited_in_the_list_is_audited(administrator) -> None:
    client = logged_in(administrator)
    account = GLAccount.objects.create(code="4000", name="Income", type="income")
    category = DistributionCategory.objects.create(policy="category", key="kind:labor", label="L")
    form = {
        "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": category.pk,
        "form-0-account": account.pk, "_save": "Save",
    }  # fmt: skip

    response = client.post(f"{ADMIN}/ledger/distributioncategory/", form)

    assert response.status_code == 302
    category.refresh_from_db()
    assert category.account == account
    assert AuditEvent.objects.filter(action="category mapped").exists()


def test_next_invoice_number_only_goes_up(administrator) -> None:
    client = logged_in(administrator)
    company = CompanySettings.load()
    company.next_invoice_number = 2000
    company.save()
    url = f"{ADMIN}/core/companysettings/{company.pk}/change/"
    form = {"name": "X", "currency": "USD", "backdating_days": 30, "accounting_integration": "on"}

    lowered = client.post(url, {**form, "next_invoice_number": 1999})
    raised = client.post(url, {**form, "next_invoice_number": 2500})

    assert lowered.status_code == 200
    assert "can only go up from 2000" in lowered.content.decode()
    assert raised.status_code == 302
    company.refresh_from_db()
    assert company.next_invoice_number == 2500
