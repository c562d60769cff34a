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


class QuestionForm(forms.Form):
    title = forms.CharField(
        label="Your question in a line",
        max_length=TITLE_MAX,
        error_messages={
            "required": "Say in a line what your question is.",
            "max_length": f"Keep the title under {TITLE_MAX} characters.",
        },
    )
    problem_set = forms.ChoiceField(label="About", required=False)
    body = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. Put code and tracebacks between ``` lines so they stay readable.",
        error_messages={"required": "Write your message first."},
    )
    anonymous = forms.BooleanField(
        label="Hide my name from classmates (staff still see it)", required=False
    )

    def __init__(self, *args, problem_sets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_set"].choices = [("", "The lesson")] + [
            (name, f"Problem set {name}") for name in problem_sets
        ]
        if not problem_sets:
            del self.fields["problem_set"]


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown; code between ``` lines.",
        error_messages={"required": "Write your message first."},
    )


class HideForm(forms.Form):
    note = forms.CharField(
        label="Note to the author",
        max_length=2000,
        error_messages={"required": "Tell the author why it is hidden."},
    )
