"""The admin shows municipalities, districts and places read-only: municipalities are loaded with `manage.py
load_municipality`, districts by a GIS import or the demo loader, and places through do_save_place (point
checked against the boundary, H3 cells computed, texts redacted, audited); the admin would bypass all of it."""

from django.contrib import admin

from trygg.lib.admin_read_only import ReadOnlyAdmin

from .models import District, Municipality, Place


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    app_list_url = "places:place_list"
    list_display = ("code", "name", "county_name")
    exclude = ("geometry",)


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    app_list_url = "places:place_list"
    list_display = ("name", "municipality", "approximate")
    list_select_related = ("municipality",)
    list_filter = ("municipality",)
    exclude = ("geometry",)


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    app_list_url = "places:place_list"
    app_object_url = "places:place_edit"
    list_display = ("name", "municipality", "kind", "district", "lat", "lon", "active")
    list_filter = ("municipality", "kind", "active")
    list_select_related = ("municipality", "district")
    search_fields = ("name", "aliases")
