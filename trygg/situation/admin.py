from django.contrib import admin

from .models import Action, CameraSite, Category, FocusArea, Incident, Meeting


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "active")
    list_editable = ("order", "active")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Read-only here: reports go through the lägesbild form, which redacts personal data and checks the
    location against the municipality boundary."""

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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("date", "kind")
    list_filter = ("kind",)


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ("problem", "place", "district", "start", "weeks")
    list_select_related = ("place", "district")


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "due_date")
    list_filter = ("kind", "status")


@admin.register(CameraSite)
class CameraSiteAdmin(admin.ModelAdmin):
    list_display = ("name", "permit_status", "imy_reference", "imy_decision_date")
