"""The edit form of a protocol version: one field per declared key, a required reason, the version it is based on."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.cleaning import SafeForm

from .registry import settings_for


class ProtocolVersionForm(SafeForm):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=1_000_000)
    reason = forms.CharField(
        label=_("Reden van de wijziging"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Verplicht: waarom verandert dit, en wie heeft het besloten?"),
    )
    effective_on = forms.DateField(
        label=_("Geldt vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leeg: meteen. Lopende zaken houden de versie waaronder ze begonnen."),
    )

    def __init__(self, *args, protocol: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        self.setting_keys = list(settings_for(protocol))
        for key, declared in settings_for(protocol).items():
            self.fields[key] = declared.form_field()
        # The reason and date after the numbers.
        self.order_fields([*self.setting_keys, "reason", "effective_on", "based_on"])
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"

    def clean_effective_on(self):
        day = self.cleaned_data.get("effective_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("Een nieuwe versie kan niet met terugwerkende kracht gelden."))
        return day

    def setting_fields(self):
        return [self[key] for key in self.setting_keys]

    def values(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in self.setting_keys}
