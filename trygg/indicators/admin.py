"""Statistics in the admin: read-only. Imports, local figures and local indicators are written through the
app's actions (cleaned, redacted, audited, owned by a municipality); an admin save would bypass all four."""

from django.contrib import admin

from trygg.lib.admin_read_only import ReadOnlyAdmin

from .models import ImportJob, Indicator, Observation, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    app_list_url = "indicators:dashboard"
    list_display = ["code", "name", "kind", "county", "police_region", "group", "population"]
    list_filter = ["kind", "group"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["county", "police_region"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    app_list_url = "indicators:dashboard"
    list_display = ["code", "title", "unit", "source", "higher_is_better", "is_local", "municipality"]
    list_filter = ["unit", "is_local", "municipality", "source"]
    search_fields = ["code", "title"]
    list_select_related = ["municipality"]
    raw_id_fields = ["margin_for"]


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    app_list_url = "indicators:dashboard"
    list_display = ["indicator", "region", "period", "breakdown", "value", "status", "preliminary"]
    list_filter = ["status", "preliminary", "region__kind"]
    search_fields = ["indicator__code", "region__code", "region__name"]
    list_select_related = ["indicator", "region"]
    raw_id_fields = ["indicator", "region"]
    show_full_result_count = False  # the table reaches hundreds of thousands of rows


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    app_list_url = "indicators:import"
    app_object_url = "indicators:import_job"
    list_display = ["created_at", "municipality", "kind", "original_name", "status", "progress", "created_by"]
    list_filter = ["status", "kind", "municipality"]
    list_select_related = ["created_by", "municipality"]
