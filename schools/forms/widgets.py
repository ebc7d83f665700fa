"""Widgets for long choice lists (issue #13 §1: remove Python cost that does not serve the user).

Django's Select renders a template per option: for a school's 600 students in three pickers of the
incident form that was ~1,800 template renders, most of the page's time. QuickSelect writes the same
HTML (`<option value="…" selected>`, the attributes the bound field adds: id, required, aria-*) in
Python. SharedChoices is THE piece for "choices from rows read once": pickers of the same list share
one read and one escaped option list (the incident form's student pickers, the meeting screen's
agreement forms, the signal grid's cells).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape as quote
from typing import Any

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
            options = shared.select_options(empty_label, selected[0] if selected else None)
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


_FIELDS_OWN = object()


class SharedChoices:
    """Choices from rows read once, for every picker that shows them (issue #13 §1). The rows come from
    one of three sources:

    - a ModelChoiceField's queryset, read once per form and only when a picker renders (a valid POST
      never reads the list: validation looks the chosen row up): `SharedChoices(field, only=(...))`,
      `only` the fields the labels need (the field's own queryset, used to validate, stays whole);
    - model objects the view already read, shared by several forms: `SharedChoices.of_objects(staff)`
      (the meeting screen: one staff list for every agreement form);
    - fixed choices: `SharedChoices.of_choices(Score.choices)` (the signal grid's cells).

    `attach(field)` gives a form field these rows as its choices without a query (a QuickSelect picker
    then writes the shared, escaped options; Django's own widgets render them as ever);
    `select_options(empty_label, selected)` is the <option>s of a single select, made once per value."""

    def __init__(
        self,
        field: forms.ModelChoiceField | None = None,
        *,
        only: tuple[str, ...] = (),
        objects: list | None = None,
        choices: Iterable[tuple[Any, Any]] | None = None,
        label: Callable[[Any], str] = str,
    ) -> None:
        self.field = field
        self.only = only
        self._objects = objects
        self._choices = choices
        self._label = label
        self._rows: list | None = None
        self._html: str | None = None
        self._options: dict[tuple[str, str | None], str] = {}

    @classmethod
    def of_objects(cls, objects: Iterable, *, label: Callable[[Any], str] = str) -> SharedChoices:
        """Objects already read (each choice: its pk and `label(obj)`)."""
        return cls(objects=list(objects), label=label)

    @classmethod
    def of_choices(cls, choices: Iterable[tuple[Any, Any]]) -> SharedChoices:
        """Fixed (value, label) choices; lazy labels are made text once."""
        return cls(choices=choices)

    @property
    def objects(self) -> list:
        """The objects of `of_objects` (e.g. to validate a posted choice against the same rows)."""
        return self._objects or []

    def rows(self) -> list:
        """(value, label) per choice, in order; read or made once."""
        if self._rows is None:
            if self._choices is not None:
                self._rows = [(value, str(label)) for value, label in self._choices]
            elif self._objects is not None:
                self._rows = [(obj.pk, self._label(obj)) for obj in self._objects]
            else:
                field = self.field
                queryset = field.queryset.only(*self.only) if self.only else field.queryset
                self._rows = [(obj.pk, field.label_from_instance(obj)) for obj in queryset]
        return self._rows

    def options_html(self) -> str:
        """Every row as an escaped <option>, none selected."""
        if self._html is None:
            self._html = "".join(
                f'<option value="{value if type(value) is int else quote(str(value))}">{quote(str(label))}</option>'
                for value, label in self.rows()  # a pk needs no escaping; the standard library's escape
            )  # (what Django's escape calls) without its lazy-string wrapper: 600 students, 600 options
        return self._html

    def select_options(self, empty_label: str, selected: str | None = None) -> str:
        """The <option>s of a single select: `empty_label`'s (value ""), then the rows; `selected` marked
        like Django's Select marks it (its first match; "" marks the empty option; a value that is not
        a choice marks none; None marks none). Made once per (empty_label, selected)."""
        key = (empty_label, None if selected is None else str(selected))
        options = self._options.get(key)
        if options is None:
            options = f'<option value="">{escape(empty_label)}</option>{self.options_html()}'
            if selected is not None:
                option = f'<option value="{escape(selected)}">'
                options = options.replace(option, option[:-1] + " selected>", 1)
            options = self._options[key] = mark_safe(options)  # noqa: S308 - every value and label escaped
        return options

    def attach(self, field: forms.ChoiceField, empty_label: str | None | object = _FIELDS_OWN) -> None:
        """`field` shows these rows after `empty_label` (by default the field's own: a ModelChoiceField's
        "---------", none for a multiple choice), without a query of its own. A single QuickSelect
        writes the shared options; any other widget (Django's Select, CheckboxSelectMultiple,
        QuickSelectMultiple) gets them as its choices and renders as ever."""
        if empty_label is _FIELDS_OWN:
            empty_label = getattr(field, "empty_label", None)
        head = [] if empty_label is None else [("", empty_label)]
        field.choices = lambda: [*head, *self.rows()]
        widget = field.widget
        if empty_label is not None and isinstance(widget, QuickSelect) and not widget.allow_multiple_selected:
            widget.shared = (self, empty_label)
