""" "Så räknar vi": how the lägesbild finds places with more incidents than usual, in plain Swedish."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..hotspot_inference import MIN_EXPECTED_PER_NEIGHBOURHOOD
from ..permissions import require_situation_access


@login_required
@require_GET
def method(request: HttpRequest) -> HttpResponse:
    require_situation_access(request)
    minimum = f"{MIN_EXPECTED_PER_NEIGHBOURHOOD:g}".replace(".", ",")
    return render(request, "situation/method.html", {"minimum": minimum})
