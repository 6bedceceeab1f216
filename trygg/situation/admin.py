"""The admin shows the lägesbild read-only: categories, meetings, focus areas, actions, incidents and cameras
are written through trygg.situation.actions (personal data redacted, locations checked against the owning
municipality's boundary, audited), which the admin would bypass. The shared category taxonomy is edited on
the lägesbild's own category page by installation administrators."""

from django.contrib import admin
from django.db import models

from trygg.lib.admin_read_only import ReadOnlyAdmin

from .models import Action, CameraSite, Category, FocusArea, Incident, Meeting


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    app_list_url = "situation:category_list"
    app_object_url = "situation:category_edit"
    list_display = ("name", "slug", "order", "active")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    app_list_url = "situation:table"
    app_object_url = "situation:incident_detail"
    list_display = (
        "occurred_from",
        "municipality",
        "category",
        "place",
        "location_precision",
        "source_organisation",
        "origin",
    )
    list_filter = ("municipality", "category", "origin", "location_precision")
    list_select_related = ("municipality", "category", "place", "source_organisation")
    date_hierarchy = "occurred_from"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # police links are https


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    app_list_url = "situation:meeting_list"
    app_object_url = "situation:meeting_detail"
    list_display = ("date", "municipality", "kind", "created_by_organisation")
    list_filter = ("municipality", "kind")
    list_select_related = ("municipality", "created_by_organisation")


@admin.register(FocusArea)
class FocusAreaAdmin(ReadOnlyAdmin):
    app_list_url = "situation:focus_area_list"
    app_object_url = "situation:focus_area_detail"
    list_display = (
        "problem",
        "municipality",
        "place",
        "district",
        "start",
        "weeks",
        "created_by_organisation",
    )
    list_filter = ("municipality",)
    list_select_related = ("municipality", "place", "district", "created_by_organisation")


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    app_list_url = "situation:action_list"
    app_object_url = "situation:action_detail"
    list_display = ("title", "municipality", "kind", "status", "due_date", "created_by_organisation")
    list_filter = ("municipality", "kind", "status")
    list_select_related = ("municipality", "created_by_organisation")


@admin.register(CameraSite)
class CameraSiteAdmin(ReadOnlyAdmin):
    app_list_url = "situation:camera_list"
    list_display = ("name", "municipality", "permit_status", "imy_reference", "imy_decision_date")
    list_filter = ("municipality",)
    list_select_related = ("municipality",)
