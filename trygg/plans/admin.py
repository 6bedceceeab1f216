from django.contrib import admin

from .models import Activity, ActivityStatus, Area, FollowUp, Intervention, Plan, Program, StatusChange


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "adopted_by", "adopted_on", "diary_number")


class AreaInline(admin.TabularInline):
    model = Area
    fields = ("number", "title")
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "period_start", "period_end")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AreaInline]


class InterventionInline(admin.TabularInline):
    model = Intervention
    fields = ("number", "title")
    extra = 0
    show_change_link = True


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "plan")
    list_filter = ("plan",)
    inlines = [InterventionInline]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ("title", "area")
    list_filter = ("area__plan",)
    list_select_related = ("area",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "intervention", "planned_start", "planned_end", "political_assignment")
    list_filter = ("intervention__area__plan", "political_assignment", "units")
    list_select_related = ("intervention",)
    filter_horizontal = ("units",)
    search_fields = ("title",)


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    """Report texts are edited on the follow-up page, which redacts personal data and audits the change."""

    list_display = ("__str__", "date", "recipient")
    readonly_fields = ("introduction", "summary", "current_analysis")
    list_select_related = ("plan",)


@admin.register(ActivityStatus)
class ActivityStatusAdmin(admin.ModelAdmin):
    """Read-only: statuses change through the follow-up pages so that history is recorded."""

    list_display = ("activity", "follow_up", "status", "updated_at")
    list_filter = ("follow_up", "status")
    list_select_related = ("activity", "follow_up__plan")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ActivityStatusAdmin):
    list_display = ("activity", "follow_up", "old_status", "new_status", "changed_by", "changed_at")
    list_filter = ("follow_up", "source")
    list_select_related = ("activity", "follow_up__plan", "changed_by")
