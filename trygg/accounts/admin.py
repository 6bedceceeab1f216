from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, Unit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Trygg", {"fields": ("role", "organisation", "units")}))
    list_display = ("username", "email", "role", "organisation", "is_active")
    list_filter = ("role", "organisation", "is_active")
    filter_horizontal = ("units", "groups", "user_permissions")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation")
