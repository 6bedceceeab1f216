from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .privacy import entries


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The public privacy page: what Trygg stores, why, for how long, who sees it (docs/privacy.md)."""
    return render(request, "operations/privacy.html", {"entries": entries()})
