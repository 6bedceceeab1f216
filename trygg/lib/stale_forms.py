"""Edit forms that know what they were based on (optimistic locking, see ``trygg.accounts.writes``).

A form using :class:`BaseVersionMixin` carries a hidden, signed ``base_version``: the stored values of the row
when the form was opened (:func:`trygg.accounts.writes.snapshot`). The view passes ``form.base`` to the
``do_*`` function, which passes it to ``writes.update(..., base=...)``: only the fields the user changed are
written, and a change someone else made to the same field meanwhile is refused with a Swedish message.
"""

from __future__ import annotations

from typing import Any

from django import forms

from trygg.accounts import writes

FIELD = "base_version"


class BaseVersionMixin:
    """For a ModelForm (the instance's snapshot) or a plain Form given ``base_values=``."""

    base_m2m: tuple[str, ...] = ()

    def __init__(self, *args, base_values: dict[str, Any] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            if base_values is None:
                instance = getattr(self, "instance", None)
                base_values = writes.snapshot(instance, m2m=self.base_m2m) if instance is not None else {}
            if base_values:
                self.initial[FIELD] = writes.base_token(base_values)

    def clean_base_version(self):
        try:
            return writes.read_base_token(self.cleaned_data.get(FIELD, ""))
        except writes.WriteError as exc:
            self.add_error(None, str(exc))  # shown at the top of the form: the hidden field has no place
            return None

    def refresh_base(self, values: dict[str, Any]) -> None:
        """After a refused stale save: the form shown again is based on what is stored now, so saving it
        again (after checking) writes the user's values."""
        data = self.data.copy()
        data[self.add_prefix(FIELD)] = writes.base_token(values)
        self.data = data

    def refresh_if_stale(self, error: Exception, current=None) -> bool:
        """When ``error`` came from a stale save, base the form on the stored values now: ``current()``, or
        for a ModelForm the instance's row as stored."""
        if not (isinstance(error, writes.StaleWrite) or isinstance(error.__cause__, writes.StaleWrite)):
            return False
        if current is None:
            instance = self.instance
            stored = type(instance)._default_manager.get(pk=instance.pk)
            values = writes.snapshot(stored, m2m=self.base_m2m)
        else:
            values = current()
        self.refresh_base(values)
        return True

    @property
    def base(self) -> dict[str, Any] | None:
        """The values the form was opened with (None when it carried none: no check is made)."""
        return self.cleaned_data.get(FIELD) if hasattr(self, "cleaned_data") else None
