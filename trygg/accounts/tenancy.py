"""Who owns a row, and which rows a user may reach: the one place that scopes queries by municipality.

Every domain model belongs to one municipality (``places.Municipality``). A model either has a
``municipality`` foreign key or declares the path to it::

    class Area(models.Model):
        MUNICIPALITY_PATH = "plan__municipality"

Each app's permissions module fetches objects with :func:`get_for_user_or_404`: the lookup is limited to the
municipalities where the user holds one of the given roles, so another municipality's object is a 404 (it
does not exist for this user), never a 403 that would confirm it exists. Write checks then use the role in the
object's own municipality (:func:`municipality_id_of`).

The *current* municipality (shown in the header, the default of lists, statistics and new rows) is chosen per
session among the user's municipalities (:func:`current_municipality`); ``TRYGG_MUNICIPALITY_CODE`` is only the
default of a fresh installation. No view may read that setting instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

SESSION_KEY = "trygg_municipality_id"


def municipality_path(model: type[models.Model]) -> str:
    return getattr(model, "MUNICIPALITY_PATH", "municipality")


def scope(queryset: models.QuerySet, municipality_ids: Iterable[int]) -> models.QuerySet:
    """The rows of `queryset` that belong to one of the municipalities."""
    return queryset.filter(**{f"{municipality_path(queryset.model)}__in": list(municipality_ids)})


def scope_for_user(queryset: models.QuerySet, user, *roles: str) -> models.QuerySet:
    """The rows in municipalities where `user` holds one of `roles` (any role when none are given)."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return scope(queryset, user.municipality_ids(*roles))


def get_for_user_or_404(queryset: models.QuerySet, user, roles: Iterable[str], **lookup):
    """One object by `lookup`, or Http404 when it does not exist or lies in a municipality where the user
    holds none of `roles`."""
    return get_object_or_404(scope_for_user(queryset, user, *roles), **lookup)


def municipality_id_of(obj: models.Model) -> int:
    """The id of the municipality that owns `obj`, following MUNICIPALITY_PATH (select_related it on lists)."""
    *hops, last = municipality_path(type(obj)).split("__")
    for hop in hops:
        obj = getattr(obj, hop)
    return getattr(obj, f"{last}_id")


def available_municipalities(user) -> list:
    """The municipalities the user may switch between, by name."""
    from trygg.places.models import Municipality

    if not getattr(user, "is_authenticated", False):
        return []
    return list(Municipality.objects.filter(pk__in=user.municipality_ids()).order_by("name"))


def current_municipality(request):
    """The municipality the user works in now (session choice, else their first by name; for an
    administrator without a choice the installation's default), or None when the user has none."""
    if hasattr(request, "_trygg_municipality"):
        return request._trygg_municipality
    user = getattr(request, "user", None)
    allowed = available_municipalities(user) if user is not None else []
    chosen = None
    if allowed:
        by_id = {m.pk: m for m in allowed}
        chosen = by_id.get(request.session.get(SESSION_KEY))
        if chosen is None:
            default_code = settings.TRYGG_MUNICIPALITY_CODE
            chosen = next((m for m in allowed if m.code == default_code), allowed[0])
    request._trygg_municipality = chosen
    return chosen


def require_current_municipality(request):
    """The current municipality, or Http404 with a Swedish message when the user belongs to none."""
    municipality = current_municipality(request)
    if municipality is None:
        raise Http404("Du har ingen behörighet i någon kommun.")
    return municipality


def switch_municipality(request, municipality_id: int) -> bool:
    """Make another of the user's municipalities current; False when it is not one of theirs."""
    if municipality_id not in request.user.municipality_ids():
        return False
    request.session[SESSION_KEY] = municipality_id
    request.__dict__.pop("_trygg_municipality", None)
    return True
