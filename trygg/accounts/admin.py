"""Users, their roles per municipality, organisations and units stay editable in the admin (that is where an
administrator manages them); every change made here is written to the audit trail with its old and new values.
Domain data (plans, incidents, observations …) is read-only in the admin: see trygg.lib.admin_read_only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms.models import model_to_dict

from . import writes
from .audit import record_audit
from .models import AuditEvent, Membership, Organisation, Unit, User

# Never copied into the audit trail.
SECRET_FIELDS = {"password"}


def _snapshot(obj) -> dict:
    if obj is None or obj.pk is None:
        return {}
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return {}
    data = model_to_dict(fresh)
    return {k: _plain(v) for k, v in data.items() if k not in SECRET_FIELDS}


def _plain(value):
    if isinstance(value, list):
        return sorted(getattr(v, "pk", v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "pk", value)


class AuditedAdmin(admin.ModelAdmin):
    """Records one audit row per save or delete, with the real before/after of the changed fields
    (many-to-many and inline rows via `snapshot`, password excluded). For users, whose fields are not free
    text to redact (names are the point of a user account)."""

    inline_keys: set[str] = set()

    def snapshot(self, obj) -> dict:
        return _snapshot(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request._audit_before = self.snapshot(self.get_object(request, object_id)) if object_id else {}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_audit_before", {})
        after = self.snapshot(obj)
        # Only what the form changed (and the inline rows): a stored microsecond the form cannot show is no edit.
        keys = (set(form.changed_data) | self.inline_keys) if change else set(after)
        changes = {k: [before.get(k), after[k]] for k in keys & set(after) if before.get(k) != after[k]}
        if "password" in form.changed_data:
            changes["password"] = ["(dolt)", "(ändrat)"]
        if changes:
            action = f"{obj._meta.model_name}.{'update' if change else 'create'}"
            record_audit(request.user, f"admin.{action}", obj, changes)

    def delete_model(self, request, obj):
        record_audit(request.user, f"admin.{obj._meta.model_name}.delete", obj, {"value": [str(obj), None]})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    verbose_name = "Behörighet i en kommun"
    verbose_name_plural = "Behörigheter per kommun"


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Trygg", {"fields": ("organisation", "units")}))
    inlines = [MembershipInline]
    inline_keys = {"memberships"}
    list_display = ("username", "email", "organisation", "is_active")
    list_filter = ("memberships__role", "memberships__municipality", "organisation", "is_active")
    filter_horizontal = ("units", "groups", "user_permissions")
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A user is deactivated, never deleted: the audit trail and the history rows point at the account.
        return False

    @admin.action(description="Avaktivera markerade användare (de kan inte längre logga in)")
    def deactivate(self, request, queryset):
        for user in queryset.filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])
            record_audit(request.user, "admin.user.update", user, {"is_active": [True, False]})
        self.message_user(request, "Användarna är avaktiverade.")

    def snapshot(self, obj) -> dict:
        """The user's fields plus their roles ("1482:coordinator"), so a role change is audited on the user."""
        data = _snapshot(obj)
        if data:
            data["memberships"] = sorted(
                f"{code}:{role}" for code, role in obj.memberships.values_list("municipality__code", "role")
            )
        return data


class WritePathAdmin(admin.ModelAdmin):
    """Saves and deletes through trygg.accounts.writes, like every other route: text cleaned and redacted,
    lengths checked, one audit row with the true old and new values."""

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            written = writes.update(
                obj, values, acting_user=request.user, action=f"admin.{obj._meta.model_name}.update"
            )
        else:
            values = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
            written = writes.create(
                type(obj), values, acting_user=request.user, action=f"admin.{obj._meta.model_name}.create"
            )
            obj.pk, obj._state.adding = written.obj.pk, False
        if written.explanation:
            self.message_user(request, written.explanation, level="warning")

    def delete_model(self, request, obj):
        writes.delete(obj, acting_user=request.user, action=f"admin.{obj._meta.model_name}.delete")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(WritePathAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)


@admin.register(Unit)
class UnitAdmin(WritePathAdmin):
    list_display = ("name", "municipality", "organisation")
    list_filter = ("municipality",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail itself: readable by administrators, never editable. The admin menu's entry opens
    Trygg's audit view (filters, CSV export)."""

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        return redirect("audit_list")

    list_display = ("at", "actor", "action", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "action")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser  # not scoped by municipality

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
