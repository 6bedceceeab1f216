"""The create/edit pattern shared by the lägesbild's simple forms."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..actions import SituationError


def form_page(
    request: HttpRequest,
    form: ModelForm,
    *,
    save: Callable[[ModelForm], object],
    success: str,
    next_url: Callable[[object], str],
    title: str,
    back: str,
) -> HttpResponse:
    """On a valid POST save through a do_* action (a SituationError becomes a form error) and redirect to
    next_url(saved); otherwise render the generic form page with `back` as the cancel link's URL name."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except SituationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect(next_url(saved))
    return render(request, "situation/form.html", {"form": form, "title": title, "back": back})
