"""Plan data is read-only in the admin: every write goes through the plans actions (personal data redacted,
the change audited, the status history kept), which the admin would bypass. Plans are edited in Trygg and
imported with the plan exchange (docs/plan-exchange.md)."""

from django.contrib import admin

from trygg.lib.admin_read_only import ReadOnlyAdmin

from .models import Activity, ActivityStatus, Area, FollowUp, Intervention, Plan, Program, StatusChange


class PlansReadOnlyAdmin(ReadOnlyAdmin):
    app_list_url = "plans:plan_list"


@admin.register(Program)
class ProgramAdmin(PlansReadOnlyAdmin):
    list_display = ("name", "municipality", "adopted_by", "adopted_on", "diary_number")
    list_filter = ("municipality",)
    list_select_related = ("municipality",)


@admin.register(Plan)
class PlanAdmin(PlansReadOnlyAdmin):
    list_display = ("name", "municipality", "period_start", "period_end")
    list_filter = ("municipality",)
    list_select_related = ("municipality",)


@admin.register(Area)
class AreaAdmin(PlansReadOnlyAdmin):
    list_display = ("__str__", "plan")
    list_filter = ("plan__municipality", "plan")
    list_select_related = ("plan",)


@admin.register(Intervention)
class InterventionAdmin(PlansReadOnlyAdmin):
    list_display = ("title", "area")
    list_filter = ("area__plan__municipality", "area__plan")
    list_select_related = ("area",)


@admin.register(Activity)
class ActivityAdmin(PlansReadOnlyAdmin):
    app_object_url = "plans:activity_detail"
    list_display = ("title", "intervention", "planned_start", "planned_end", "political_assignment")
    list_filter = (
        "intervention__area__plan__municipality",
        "intervention__area__plan",
        "political_assignment",
    )
    list_select_related = ("intervention",)
    search_fields = ("title",)


@admin.register(FollowUp)
class FollowUpAdmin(PlansReadOnlyAdmin):
    list_display = ("__str__", "date", "recipient")
    list_filter = ("plan__municipality",)
    list_select_related = ("plan",)


@admin.register(ActivityStatus)
class ActivityStatusAdmin(PlansReadOnlyAdmin):
    list_display = ("activity", "follow_up", "status", "updated_at")
    list_filter = ("follow_up__plan__municipality", "status")
    list_select_related = ("activity", "follow_up__plan")


@admin.register(StatusChange)
class StatusChangeAdmin(PlansReadOnlyAdmin):
    list_display = ("activity", "follow_up", "old_status", "new_status", "changed_by", "changed_at")
    list_filter = ("follow_up__plan__municipality", "source")
    list_select_related = ("activity", "follow_up__plan", "changed_by")
