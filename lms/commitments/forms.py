"""The hours form; the rules (dates, quarter hours, open months) live in ``services``."""

from django import forms

from .models import HoursKind


class HoursEntryForm(forms.Form):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Give the day you gave the time.",
            "invalid": "Give a date like 2026-05-14.",
        },
    )
    hours = forms.DecimalField(
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "12"}),
        help_text="In quarter hours: 0.25, 1.5, 2.75 …",
        error_messages={
            "required": "Give the hours.",
            "invalid": "Give the hours as a number, like 1.5.",
        },
    )
    kind = forms.ChoiceField(
        choices=HoursKind.choices,
        label="What you did",
        error_messages={"required": "Choose what you did."},
    )
    note = forms.CharField(max_length=300, required=False, label="Note (optional)")
