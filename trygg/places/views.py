from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.accounts.writes import WriteError

from . import geojson
from .actions import do_save_place
from .forms import PlaceForm
from .models import District, Municipality, Place
from .permissions import can_manage_places, get_place_for_user, require_places_access


@login_required
@require_GET
def place_list(request: HttpRequest) -> HttpResponse:
    municipality = require_places_access(request)
    places = Place.objects.for_municipality(municipality).select_related("district")
    districts = District.objects.filter(municipality=municipality)
    return render(
        request,
        "places/place_list.html",
        {
            "municipality": municipality,
            "places": places,
            "districts": districts,
            "can_manage": can_manage_places(request.user, municipality),
        },
    )


@login_required
@require_GET
def places_geojson(request: HttpRequest) -> JsonResponse:
    """The boundary, districts and places of the current municipality as one FeatureCollection."""
    municipality = require_places_access(request)
    features = [geojson.boundary_feature(municipality)] if municipality.geometry else []
    features += geojson.district_features(District.objects.filter(municipality=municipality))
    features += geojson.place_features(
        Place.objects.for_municipality(municipality).active().select_related("district")
    )
    return JsonResponse(geojson.feature_collection(features), json_dumps_params={"ensure_ascii": False})


def _edit(request: HttpRequest, place: Place | None, municipality: Municipality) -> HttpResponse:
    form = PlaceForm(request.POST or None, instance=place, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            saved, explanation = do_save_place(form.instance, acting_user=request.user)
        except WriteError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Platsen %(name)s är sparad.") % {"name": saved.name})
            if explanation:
                messages.warning(request, explanation)
            return redirect("places:place_list")
    title = _("Ändra plats") if place else _("Ny plats")
    return render(
        request,
        "places/place_form.html",
        {"form": form, "title": title, "place": place, "municipality": municipality},
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_create(request: HttpRequest) -> HttpResponse:
    municipality = require_places_access(request, write=True)
    return _edit(request, None, municipality)


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_place_for_user(request, pk, write=True)
    return _edit(request, place, place.municipality)
