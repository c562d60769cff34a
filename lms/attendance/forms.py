"""Forms for marking a session and for moving one; the rules live in ``services``."""

import datetime

from django import forms
from django.utils import timezone

from .models import Status
from .selectors import SheetRow

NOTE_MAX = 200


class SessionMarkForm(forms.Form):
    """One radio group and one note per resident; unmarked residents start as present."""

    def __init__(self, *args, rows: list[SheetRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"status_{row.resident.pk}"] = forms.ChoiceField(
                choices=Status.choices,
                initial=row.mark.status if row.mark else Status.PRESENT,
                widget=forms.RadioSelect,
                label=row.resident.display_name,
                error_messages={"required": f"Choose how {row.resident.display_name} was marked."},
            )
            self.fields[f"note_{row.resident.pk}"] = forms.CharField(
                max_length=NOTE_MAX,
                required=False,
                initial=row.mark.note if row.mark else "",
                label=f"Note about {row.resident.display_name}",
            )

    def people(self):
        """Pairs of (row, status field, note field) for the template."""
        return [
            (row, self[f"status_{row.resident.pk}"], self[f"note_{row.resident.pk}"])
            for row in self.rows
        ]

    def marks(self) -> dict[int, tuple[str, str]]:
        return {
            row.resident.pk: (
                self.cleaned_data[f"status_{row.resident.pk}"],
                self.cleaned_data[f"note_{row.resident.pk}"],
            )
            for row in self.rows
        }


class SessionRescheduleForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Day")
    starts = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label="Starts")
    ends = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label="Ends")

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        day = self.cleaned_data["day"]
        return (
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data["starts"])),
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data["ends"])),
        )
