"""Forms for the check-in log; the rules themselves live in ``services``."""

from django import forms
from django.utils import timezone

from .models import CONCERN_TEXT_MAX, NOTES_MAX, RESOLUTION_NOTE_MAX, Channel


class CheckInForm(forms.Form):
    met_on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date you met, like 2026-03-14."},
    )
    channel = forms.ChoiceField(
        label="How you met", choices=Channel.choices, widget=forms.RadioSelect
    )
    duration_minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=600,
        error_messages={
            "min_value": "A check-in lasts at least a minute.",
            "max_value": "Ten hours is the most one check-in can last.",
        },
    )
    notes = forms.CharField(
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only you and staff read these; your mentee never does.",
    )
    concern = forms.BooleanField(
        required=False,
        label="Flag a concern for staff",
        help_text="Staff follow up and record what they did.",
    )
    concern_text = forms.CharField(
        required=False,
        max_length=CONCERN_TEXT_MAX,
        label="The concern, in a few words",
        widget=forms.TextInput(attrs={"placeholder": "missed two classes"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class ResolveForm(forms.Form):
    resolution_note = forms.CharField(
        label="What was done",
        max_length=RESOLUTION_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Write what was done, so the mentor knows how it was resolved."
        },
    )
