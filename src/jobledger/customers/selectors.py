"""The customer list: filtered and paginated in the database, two queries a page."""

from django.core.paginator import Page, Paginator
from django.db.models import Q

from jobledger.customers.models import Customer

PAGE_SIZE = 50


def customer_list_page(
    page: str | int | None, *, search: str = "", einvoices_only: bool = False
) -> Page:
    customers = Customer.objects.select_related("tax_code").order_by("code")
    if search.strip():
        words = search.strip()
        customers = customers.filter(Q(code__icontains=words) | Q(name__icontains=words))
    if einvoices_only:
        customers = customers.filter(wants_einvoices=True)
    return Paginator(customers, PAGE_SIZE).get_page(page)
