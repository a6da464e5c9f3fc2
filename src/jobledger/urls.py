from django.contrib import admin
from django.urls import include, path

from jobledger.backlog.views import dashboard

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("", include("jobledger.core.urls")),
    path("backlogs/", include("jobledger.backlog.urls")),
    path("exports/", include("jobledger.exports.urls")),
    path("customers/", include("jobledger.customers.urls")),
    path("documents/", include("jobledger.documents.urls")),
    path("invoices/", include("jobledger.invoicing.urls")),
    path("jobs/", include("jobledger.jobs.urls")),
    path("ledger/", include("jobledger.ledger.urls")),
    path("settings/", include("jobledger.ledger.settings_urls")),
    path("django-admin/", admin.site.urls),
]
