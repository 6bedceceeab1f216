from django.contrib import admin

from trygg.lib.admin_read_only import ReadOnlyAdmin

from .models import ActionPlan, Agreement, Assessment, Measure, Problem


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "period_start", "period_end", "completed_on"]
    list_filter = ["municipality"]
    app_list_url = "assessments:index"
    app_object_url = "assessments:assessment_detail"


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["title", "assessment", "rank"]
    app_list_url = "assessments:index"
    app_object_url = "assessments:problem_detail"


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "decided_by", "decided_on", "plan"]
    list_filter = ["municipality"]
    app_list_url = "assessments:index"
    app_object_url = "assessments:actionplan_detail"


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["title", "action_plan", "cause", "activity", "adopted"]
    app_list_url = "assessments:index"


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "valid_from", "valid_to", "revision_on"]
    app_list_url = "assessments:coordination"
