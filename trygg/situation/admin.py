"""The admin shows the lägesbild read-only: meetings, focus areas, actions, incidents and cameras are written
through trygg.situation.actions (personal data redacted, locations checked against the boundary, audited),
which the admin would bypass. The taxonomy stays editable here, through do_save_category (redacted,
audited); categories are deactivated, never deleted (incidents refer to them)."""

from django.contrib import admin
from django.db import models

from trygg.lib.admin_read_only import ReadOnlyAdmin

from .actions import do_save_category
from .models import Action, CameraSite, Category, FocusArea, Incident, Meeting


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "active")
    list_editable = ("order", "active")
    prepopulated_fields = {"slug": ("name",)}

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        do_save_category(obj, acting_user=request.user)


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    app_list_url = "situation:table"
    app_object_url = "situation:incident_detail"
    list_display = (
        "occurred_from",
        "category",
        "place",
        "location_precision",
        "source_organisation",
        "origin",
    )
    list_filter = ("category", "origin", "location_precision")
    list_select_related = ("category", "place", "source_organisation")
    date_hierarchy = "occurred_from"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # police links are https


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    app_list_url = "situation:meeting_list"
    app_object_url = "situation:meeting_detail"
    list_display = ("date", "kind", "created_by_organisation")
    list_filter = ("kind",)
    list_select_related = ("created_by_organisation",)


@admin.register(FocusArea)
class FocusAreaAdmin(ReadOnlyAdmin):
    app_list_url = "situation:focus_area_list"
    app_object_url = "situation:focus_area_detail"
    list_display = ("problem", "place", "district", "start", "weeks", "created_by_organisation")
    list_select_related = ("place", "district", "created_by_organisation")


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    app_list_url = "situation:action_list"
    app_object_url = "situation:action_detail"
    list_display = ("title", "kind", "status", "due_date", "created_by_organisation")
    list_filter = ("kind", "status")
    list_select_related = ("created_by_organisation",)


@admin.register(CameraSite)
class CameraSiteAdmin(ReadOnlyAdmin):
    app_list_url = "situation:camera_list"
    list_display = ("name", "permit_status", "imy_reference", "imy_decision_date")
