from django.urls import path

from jobledger.jobs import views

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/status/", views.job_status, name="job_status"),
    path("<int:pk>/invoices/new/", views.invoice_new, name="invoice_new"),
]
