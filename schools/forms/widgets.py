"""Widgets for long choice lists (issue #13 §1: remove Python cost that does not serve the user).

Django's Select renders a template per option: for a school's 600 students in three pickers of the
incident form that was ~1,800 template renders, most of the page's time. QuickSelect writes the same
HTML (`<option value="…" selected>`, the attributes the bound field adds: id, required, aria-*) in
Python. Pickers of the same list can share one evaluated choice list (`shared_choices`).
"""

from __future__ import annotations

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A flat <select> rendered without a template per option (option groups: Django's own rendering)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{_attributes(final_attrs)}>']
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            mark = ""
            if option_value in selected:  # like Django: a single select marks its first match only
                mark = " selected"
                if not self.allow_multiple_selected:
                    selected = set()
            parts.append(f'<option value="{escape(option_value)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: in order, True as a bare name, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class SharedChoices:
    """One queryset's choices for several QuickSelect pickers, read once per form and only when a
    picker renders (a valid POST never reads the list: validation looks the chosen row up)."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        self.field = field
        self._rows: list | None = None

    def rows(self) -> list:
        if self._rows is None:
            self._rows = [(obj.pk, self.field.label_from_instance(obj)) for obj in self.field.queryset]
        return self._rows

    def with_empty(self, label: str):
        return lambda: [("", label), *self.rows()]
