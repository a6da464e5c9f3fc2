"""Customers: the list and the edit page (Administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from jobledger.core.roles import Actor, require_administrator
from jobledger.customers.forms import CustomerForm
from jobledger.customers.models import Customer
from jobledger.customers.selectors import customer_list_page
from jobledger.customers.services import CustomerError, customer_update


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, action="see the customers")
    search = request.GET.get("q", "")
    einvoices_only = request.GET.get("einvoices") == "1"
    page = customer_list_page(request.GET.get("page"), search=search, einvoices_only=einvoices_only)
    context = {"page": page, "search": search, "einvoices_only": einvoices_only}
    return render(request, "customers/customer_list.html", context)


@login_required
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user, action="change customers")
    customer = get_object_or_404(Customer.objects.select_related("tax_code"), pk=pk)
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        actor: Actor = request.user  # type: ignore[assignment]
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            customer_update(actor=actor, customer=customer, **changes)
        except CustomerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Customer {customer.code} saved.")
            return redirect("customer_list")
    return render(request, "customers/customer_edit.html", {"form": form, "customer": customer})
