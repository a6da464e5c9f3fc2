from django.urls import path

from jobledger.invoicing import views

urlpatterns = [
    path("<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("<int:pk>/edit/", views.invoice_edit, name="invoice_edit"),
    path("<int:pk>/delete/", views.invoice_delete_view, name="invoice_delete"),
    path("<int:pk>/post/", views.invoice_post_view, name="invoice_post"),
]
