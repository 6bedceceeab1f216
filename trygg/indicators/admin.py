from django.contrib import admin

from .models import ImportJob, Indicator, Observation, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "county", "police_region", "group", "population"]
    list_filter = ["kind", "group"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["county", "police_region"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "unit", "source", "higher_is_better", "is_local"]
    list_filter = ["unit", "is_local", "source"]
    search_fields = ["code", "title"]
    raw_id_fields = ["margin_for"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "region", "period", "breakdown", "value", "status", "preliminary"]
    list_filter = ["status", "preliminary", "region__kind"]
    search_fields = ["indicator__code", "region__code", "region__name"]
    list_select_related = ["indicator", "region"]
    raw_id_fields = ["indicator", "region"]
    show_full_result_count = False  # the table reaches hundreds of thousands of rows


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "original_name", "status", "progress", "created_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "status",
        "progress",
        "message",
        "rows_read",
        "created_count",
        "updated_count",
        "finished_at",
    ]
