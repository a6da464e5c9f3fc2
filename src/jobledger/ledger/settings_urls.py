from django.urls import path

from jobledger.ledger import setup_views

urlpatterns = [
    path("invoice-dates/", setup_views.invoice_date_settings, name="invoice_date_settings"),
    path("accounting/", setup_views.accounting_settings, name="accounting_settings"),
    path("gl-accounts/", setup_views.gl_accounts, name="gl_accounts"),
    path("gl-accounts/<int:pk>/", setup_views.gl_accounts, name="gl_account_edit"),
    path(
        "distribution-categories/",
        setup_views.distribution_categories,
        name="distribution_categories",
    ),
]
