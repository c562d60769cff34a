"""Forms for publishing slots, booking one, and cancelling with a reason."""

import datetime

from django import forms
from django.utils import timezone

from .models import SLOT_MAX_MINUTES, SLOT_MIN_MINUTES

PUBLISH_DAYS_AHEAD = 366
TOO_FAR_AHEAD = "Publish office hours at most a year ahead."
LENGTH_CHOICES = [(15, "15 minutes"), (20, "20 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "1 hour")]  # fmt: skip


class PublishForm(forms.Form):
    """One slot, or a series: back-to-back slots at the same time each week."""

    first_day = forms.DateField(
        label="First day",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The series repeats on this weekday.",
        error_messages={"required": "Choose the day of the first slot.", "invalid": "Enter a date like 2026-03-17."},
    )  # fmt: skip
    start_time = forms.TimeField(
        label="Starts at",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}),
        error_messages={"required": "Choose a start time.", "invalid": "Enter a time like 16:00."},
    )
    length_minutes = forms.TypedChoiceField(
        label="Each slot lasts", choices=LENGTH_CHOICES, coerce=int, initial=30
    )
    in_a_row = forms.IntegerField(
        label="Slots in a row",
        min_value=1,
        max_value=8,
        initial=1,
        error_messages={
            "min_value": "Publish at least one slot.",
            "max_value": "At most 8 slots in a row.",
        },
    )
    weeks = forms.IntegerField(
        label="For how many weeks",
        min_value=1,
        max_value=12,
        initial=1,
        error_messages={
            "min_value": "At least one week.",
            "max_value": "At most 12 weeks at a time.",
        },
    )
    topic = forms.CharField(
        max_length=200,
        help_text="What you can help with, e.g. “Portfolio reviews and first-job questions”.",
        error_messages={"required": "Say what you can help with."},
    )
    location = forms.CharField(label="Where", max_length=200, required=False)
    call_link = forms.URLField(
        assume_scheme="https",
        label="Call link",
        required=False,
        error_messages={"invalid": "Enter the full call address, starting with https://."},
    )

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        if day > timezone.localdate() + datetime.timedelta(days=PUBLISH_DAYS_AHEAD):
            raise forms.ValidationError(TOO_FAR_AHEAD)
        return day

    def clean(self):
        data = super().clean()
        if not data.get("location") and not data.get("call_link"):
            self.add_error("location", "Give a place, a call link, or both.")
        length = data.get("length_minutes")
        if length is not None and not SLOT_MIN_MINUTES <= length <= SLOT_MAX_MINUTES:
            self.add_error("length_minutes", "Choose a length between 15 and 60 minutes.")
        return data

    def first_starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["first_day"], data["start_time"]))


class BookingForm(forms.Form):
    note = forms.CharField(
        label="What would you like help with?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two, so your host can prepare.",
        error_messages={
            "required": "Say in a sentence what you would like help with.",
            "max_length": "Keep it under 500 characters; you can say more in person.",
        },
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The other person sees this in their e-mail.",
    )
