"""Camera register and the incident taxonomy (managed by coordinators and administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..actions import SituationError, do_save_camera, do_save_category
from ..forms import CameraForm, CategoryForm
from ..models import CameraSite, Category
from ..permissions import (
    can_manage_situation,
    get_camera_for_user,
    get_category_for_user,
    require_situation_access,
    require_situation_manage,
)


@login_required
@require_GET
def camera_list(request: HttpRequest) -> HttpResponse:
    require_situation_access(request)
    return render(request, "situation/camera_list.html", {
        "cameras": CameraSite.objects.select_related("place"),
        "can_manage": can_manage_situation(request.user),
    })


def _edit_camera(request: HttpRequest, camera: CameraSite | None) -> HttpResponse:
    form = CameraForm(request.POST or None, instance=camera)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_camera(form.instance, acting_user=request.user)
        except SituationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kameraplatsen är sparad."))
            return redirect("situation:camera_list")
    title = _("Ändra kameraplats") if camera else _("Ny kameraplats")
    return render(request, "situation/form.html", {"form": form, "title": title,
                                                   "back": "situation:camera_list"})


@login_required
@require_http_methods(["GET", "POST"])
def camera_create(request: HttpRequest) -> HttpResponse:
    require_situation_manage(request)
    return _edit_camera(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def camera_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_camera(request, get_camera_for_user(request, pk, write=True))


@login_required
@require_GET
def category_list(request: HttpRequest) -> HttpResponse:
    require_situation_access(request)
    return render(request, "situation/category_list.html", {
        "categories": Category.objects.annotate(n=Count("incidents")),
        "can_manage": can_manage_situation(request.user),
    })


def _edit_category(request: HttpRequest, category: Category | None) -> HttpResponse:
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        do_save_category(form.instance, acting_user=request.user)
        messages.success(request, _("Kategorin är sparad."))
        return redirect("situation:category_list")
    title = _("Ändra kategori") if category else _("Ny kategori")
    return render(request, "situation/form.html", {"form": form, "title": title,
                                                   "back": "situation:category_list"})


@login_required
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest) -> HttpResponse:
    require_situation_manage(request)
    return _edit_category(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_category(request, get_category_for_user(request, pk))
