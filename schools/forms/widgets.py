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
    """A flat <select> rendered without a template per option (option groups: Django's own rendering).
    A picker attached to SharedChoices writes the shared, escaped options and marks the chosen one."""

    shared: tuple[SharedChoices, str] | None = None

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:  # as Select.get_context: `multiple` after the others
            final_attrs["multiple"] = True
        selected = [v for v in self.format_value(value)]
        if self.shared is not None and not self.allow_multiple_selected:
            shared, empty_label = self.shared
            options = f'<option value="">{escape(empty_label)}</option>{shared.options_html()}'
            if selected:  # like Django: a single select marks its first match only
                option = f'<option value="{escape(selected[0])}">'
                options = options.replace(option, option[:-1] + " selected>", 1)
            return mark_safe(f'<select name="{escape(name)}"{_attributes(final_attrs)}>{options}</select>')  # noqa: S308
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        wanted = set(selected)
        parts = [f'<select name="{escape(name)}"{_attributes(final_attrs)}>']
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            mark = ""
            if option_value in wanted:  # like Django: a single select marks its first match only
                mark = " selected"
                if not self.allow_multiple_selected:
                    wanted = set()
            parts.append(f'<option value="{escape(option_value)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    """SelectMultiple's reading of the submitted list, QuickSelect's rendering (e.g. the file page's
    filter on entry kinds: one option per registered kind on every file page)."""


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: in order, True as a bare name, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class SharedChoices:
    """One queryset's choices for several QuickSelect pickers, read once per form and only when a
    picker renders (a valid POST never reads the list: validation looks the chosen row up). `only`:
    the fields the labels need (the field's own queryset, used to validate, stays whole)."""

    def __init__(self, field: forms.ModelChoiceField, *, only: tuple[str, ...] = ()) -> None:
        self.field = field
        self.only = only
        self._rows: list | None = None
        self._html: str | None = None

    def rows(self) -> list:
        if self._rows is None:
            queryset = self.field.queryset.only(*self.only) if self.only else self.field.queryset
            self._rows = [(obj.pk, self.field.label_from_instance(obj)) for obj in queryset]
        return self._rows

    def options_html(self) -> str:
        if self._html is None:
            self._html = "".join(
                f'<option value="{pk}">{escape(label)}</option>' for pk, label in self.rows()
            )
        return self._html

    def attach(self, field: forms.ModelChoiceField, empty_label: str) -> None:
        """`field` (a QuickSelect picker over the same rows) shows them after `empty_label`."""
        field.choices = lambda: [("", empty_label), *self.rows()]
        field.widget.shared = (self, empty_label)
