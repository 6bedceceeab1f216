"""The create/edit pattern shared by the lägesbild's simple forms, and safe reading of ids in links."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trygg.lib.formfields import parse_pk
from trygg.lib.stale_forms import BaseVersionMixin

from ..actions import SituationError


def form_page(
    request: HttpRequest,
    form: ModelForm,
    *,
    save: Callable[[ModelForm], tuple[object, str]],
    success: str,
    next_url: Callable[[object], str],
    title: str,
    back: str,
) -> HttpResponse:
    """On a valid POST save through a do_* action, which returns (saved, explanation of personal data
    removed); a SituationError becomes a form error. Then show the explanation as a warning and redirect to
    next_url(saved). Otherwise render the generic form page with `back` as the cancel link's URL name."""
    if request.method == "POST" and form.is_valid():
        try:
            saved, explanation = save(form)
        except SituationError as exc:
            form.add_error(None, str(exc))
            if isinstance(form, BaseVersionMixin):
                form.refresh_if_stale(exc)
        else:
            messages.success(request, success)
            if explanation:
                messages.warning(request, explanation)
            return redirect(next_url(saved))
    return render(request, "situation/form.html", {"form": form, "title": title, "back": back})


def object_from_query(request: HttpRequest, queryset: QuerySet, param: str, what: str) -> Model | None:
    """The row whose id a link passes in ?param= to prefill a form, or None. A missing row or a value that
    is not an id leaves the form empty and says so (a warning naming what the link pointed to)."""
    raw = request.GET.get(param, "")
    if not raw:
        return None
    pk = parse_pk(raw)
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        messages.warning(
            request,
            _("Länken pekar på %(what)s som inte finns (%(param)s=%(value)s). Välj i formuläret i stället.")
            % {"what": what, "param": param, "value": raw[:20]},
        )
    return found
