"""Camera register and the incident taxonomy (managed by coordinators and administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..actions import do_save_camera, do_save_category
from ..forms import CameraForm, CategoryForm
from ..models import CameraSite, Category
from ..permissions import (
    CATEGORY_ADMINS_ONLY,
    can_manage_categories,
    can_manage_situation,
    get_camera_for_user,
    get_category_for_user,
    require_situation_access,
    require_situation_manage,
)
from .common import form_page


@login_required
@require_GET
def camera_list(request: HttpRequest) -> HttpResponse:
    municipality = require_situation_access(request)
    return render(
        request,
        "situation/camera_list.html",
        {
            "cameras": CameraSite.objects.filter(municipality=municipality).select_related("place"),
            "municipality": municipality,
            "can_manage": can_manage_situation(request.user, municipality),
        },
    )


def _edit_camera(request: HttpRequest, camera: CameraSite | None, municipality) -> HttpResponse:
    return form_page(
        request,
        CameraForm(request.POST or None, instance=camera, municipality=municipality),
        save=lambda form: do_save_camera(form.instance, acting_user=request.user),
        success=_("Kameraplatsen är sparad."),
        next_url=lambda saved: reverse("situation:camera_list"),
        title=_("Ändra kameraplats") if camera else _("Ny kameraplats"),
        back="situation:camera_list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def camera_create(request: HttpRequest) -> HttpResponse:
    return _edit_camera(request, None, require_situation_manage(request))


@login_required
@require_http_methods(["GET", "POST"])
def camera_edit(request: HttpRequest, pk: int) -> HttpResponse:
    camera = get_camera_for_user(request, pk, write=True)
    return _edit_camera(request, camera, camera.municipality)


@login_required
@require_GET
def category_list(request: HttpRequest) -> HttpResponse:
    municipality = require_situation_access(request)
    return render(
        request,
        "situation/category_list.html",
        {
            "categories": Category.objects.annotate(
                n=Count("incidents", filter=Q(incidents__municipality=municipality))
            ),
            "municipality": municipality,
            "can_manage": can_manage_categories(request.user),
        },
    )


def _edit_category(request: HttpRequest, category: Category | None) -> HttpResponse:
    return form_page(
        request,
        CategoryForm(request.POST or None, instance=category),
        save=lambda form: do_save_category(form.instance, acting_user=request.user),
        success=_("Kategorin är sparad."),
        next_url=lambda saved: reverse("situation:category_list"),
        title=_("Ändra kategori") if category else _("Ny kategori"),
        back="situation:category_list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_categories(request.user):
        raise PermissionDenied(CATEGORY_ADMINS_ONLY)
    return _edit_category(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_category(request, get_category_for_user(request, pk))
