from django.contrib import admin

from trygg.lib.admin_read_only import ReadOnlyAdmin

from .models import Finding, Measure, Walk


@admin.register(Walk)
class WalkAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "date", "status", "published"]
    list_filter = ["municipality", "status", "published"]
    app_list_url = "walks:walk_list"
    app_object_url = "walks:walk_detail"


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "walk", "category", "feeling"]
    list_filter = ["category"]
    app_list_url = "walks:walk_list"
    app_object_url = "walks:finding_detail"


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["title", "finding", "due_date", "status"]
    list_filter = ["status"]
    app_list_url = "walks:measure_list"
