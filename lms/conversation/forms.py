"""The announcement form: the audiences and cohorts offered are the ones the author may use."""

from django import forms

from lms.cohorts.models import Cohort

from .models import Audience
from .services import BODY_MAX, TITLE_MAX


class AnnouncementForm(forms.Form):
    audience = forms.ChoiceField(label="Send to")
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(), required=False, empty_label="Choose a cohort"
    )
    title = forms.CharField(
        max_length=TITLE_MAX,
        error_messages={
            "required": "Give the announcement a title.",
            "max_length": f"Keep the title under {TITLE_MAX} characters.",
        },
    )
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, lists, links and ``` code blocks ```.",
        error_messages={"required": "Write something to announce."},
    )

    def __init__(self, *args, audiences: list[str], cohorts: list[Cohort], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (value, label) for value, label in Audience.choices if value in audiences
        ]
        self.fields["cohort"].queryset = Cohort.objects.filter(
            pk__in=[c.pk for c in cohorts]
        ).order_by("-start_date")

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) > BODY_MAX:
            raise forms.ValidationError(
                f"Keep an announcement under {BODY_MAX:,} characters (this one has "
                f"{len(body):,}); link to a longer document instead."
            )
        return body

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") == Audience.COHORT and not cleaned.get("cohort"):
            self.add_error("cohort", "Choose the cohort this is for.")
        return cleaned
