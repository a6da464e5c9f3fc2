from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jobledger.core.errors import DomainError, PermissionRefused


class DomainErrorMiddleware:
    """A refusal that reaches a view's caller becomes a readable page, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionRefused):
            return render(request, "core/refused.html", {"message": exception.message}, status=403)
        if isinstance(exception, DomainError):
            return render(request, "core/refused.html", {"message": exception.message}, status=400)
        return None
