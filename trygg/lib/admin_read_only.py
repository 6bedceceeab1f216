"""A Django admin that shows rows but never changes them, and links to the app page that does.

Data whose writes must go through a ``do_*`` action (personal data redacted, the point checked against the
municipality boundary, the change audited) is read-only in the admin: the admin saves straight to the model
and would bypass all three. Every list and detail page of such a model says so and links to the app.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


class ReadOnlyAdmin(admin.ModelAdmin):
    """Set ``app_list_url`` (URL name of the app's list page) and optionally ``app_object_url`` (URL name
    of the app's page for one row, taking its pk)."""

    app_list_url: str = ""
    app_object_url: str = ""

    def has_view_permission(self, request, obj=None) -> bool:
        # The admin is not scoped by municipality: only the installation's administrators read domain data
        # here; everyone else reads it in Trygg, where every query is scoped to their municipalities.
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _note(self, label: str, url: str):
        return format_html(
            '{} <a href="{}">{}</a>',
            _(
                "Endast läsning här: ändringar görs i Trygg, där personuppgifter tas bort, lägen kontrolleras "
                "mot kommungränsen och varje ändring loggas."
            ),
            url,
            label,
        )

    def changelist_view(self, request, extra_context=None):
        note = self._note(_("Öppna i Trygg"), reverse(self.app_list_url))
        return super().changelist_view(request, {**(extra_context or {}), "subtitle": note})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.app_object_url:
            url = reverse(self.app_object_url, args=[obj.pk])
        else:
            url = reverse(self.app_list_url)
        note = self._note(_("Öppna i Trygg"), url)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "subtitle": note})
