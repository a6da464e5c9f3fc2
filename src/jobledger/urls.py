from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("jobledger.core.urls")),
    path("backlogs/", include("jobledger.backlog.urls")),
    path("django-admin/", admin.site.urls),
]
