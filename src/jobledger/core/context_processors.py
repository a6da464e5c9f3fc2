from django.http import HttpRequest

from jobledger.core.models import CompanySettings
from jobledger.core.roles import role_names


def company(request: HttpRequest) -> dict[str, object]:
    def load() -> CompanySettings:
        return CompanySettings.load()

    return {"company": load, "user_roles": role_names(request.user)}
