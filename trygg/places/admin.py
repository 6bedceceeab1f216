from django.contrib import admin

from .models import District, Municipality, Place


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "county_name")
    exclude = ("geometry",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "approximate")
    exclude = ("geometry",)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """Read-mostly: edits belong in the app's form, which validates the point and computes H3 cells."""

    list_display = ("name", "kind", "district", "lat", "lon", "active")
    list_filter = ("kind", "district", "active")
    search_fields = ("name", "aliases")
    readonly_fields = ("lat", "lon", "h3_r7", "h3_r8", "h3_r9", "municipality")
