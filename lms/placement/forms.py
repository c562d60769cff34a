"""Forms for openings, profiles, cards and jobs; the rules live in ``services``."""

from django import forms
from django.core.exceptions import ValidationError

from lms.fieldwork.forms import WebLinkFormField
from lms.fieldwork.models import HostOrganization

from .models import NOTES_MAX, Hours, Opening, Profile, SalaryBand, Stage
from .services import salary_range_check

DATE = forms.DateInput(attrs={"type": "date"})


class OpeningForm(forms.ModelForm):
    link = WebLinkFormField(required=False, max_length=500, label="Link to the posting")

    class Meta:
        model = Opening
        fields = [
            "title", "kind", "workplace", "location", "salary_min", "salary_max", "link",
            "closes_on", "description", "contact_name", "contact_email",
        ]  # fmt: skip
        widgets = {"closes_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "salary_min": "Yearly, in US dollars.",
            "salary_max": "Yearly, in US dollars.",
        }

    def clean(self):
        # The service's own words, before the model's constraint would answer in its own.
        data = super().clean()
        try:
            salary_range_check(data.get("salary_min"), data.get("salary_max"))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name, messages)
        return data


class StaffOpeningForm(OpeningForm):
    organization = forms.ModelChoiceField(
        queryset=HostOrganization.objects.order_by("name"), label="Partner organization"
    )

    class Meta(OpeningForm.Meta):
        fields = ["organization", *OpeningForm.Meta.fields]


class ProfileForm(forms.ModelForm):
    portfolio_url = WebLinkFormField(required=False, max_length=500, label="Portfolio")
    code_url = WebLinkFormField(
        required=False, max_length=500, label="Code (GitHub, GitLab, Codeberg…)"
    )

    class Meta:
        model = Profile
        fields = [
            "headline", "skills", "looking_for", "where", "portfolio_url", "code_url",
            "show_field_project", "show_grades",
        ]  # fmt: skip
        widgets = {
            "skills": forms.Textarea(attrs={"rows": 3}),
            "looking_for": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "skills": "Languages, tools, what you have built with them.",
            "show_grades": "Off unless you turn it on: your residency total is shown only then.",
        }


class ApplicationForm(forms.Form):
    organization_name = forms.CharField(max_length=200, label="Organization")
    title = forms.CharField(max_length=200, label="Role")
    stage = forms.ChoiceField(
        choices=[(s.value, s.label) for s in Stage][:4], initial=Stage.INTERESTED
    )
    on = forms.DateField(widget=DATE, label="Since", required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=NOTES_MAX
    )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, label="Move to")
    on = forms.DateField(widget=DATE, label="On", required=False)
    interview_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        required=False,
        label="Interview time",
        help_text="For “Interviewing”: it goes on your calendar.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=NOTES_MAX
    )


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX)


class JobForm(forms.Form):
    organization_name = forms.CharField(max_length=200, label="Organization")
    role = forms.CharField(max_length=200)
    start_date = forms.DateField(widget=DATE)
    hours = forms.ChoiceField(
        choices=Hours.choices, widget=forms.RadioSelect, initial=Hours.FULL_TIME
    )
    salary_band = forms.ChoiceField(choices=SalaryBand.choices)
    social_justice = forms.BooleanField(
        required=False,
        initial=True,
        label="It is a social-justice organization",
        help_text="Partner organizations always count.",
    )


class RetentionForm(forms.Form):
    employed = forms.TypedChoiceField(
        choices=[("yes", "Yes, I am in paid work"), ("no", "No, not at the moment")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Are you in paid work now?",
    )
