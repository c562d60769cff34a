"""Forms for hosts, projects, milestones and the host's feedback; rules live in ``services``."""

from django import forms

from lms.cohorts.models import Cohort

from .models import HOST_FEEDBACK_MAX, WEB_LINK, HostOrganization, MilestoneStatus
from .selectors import hosts_all, mentors_all, residents_of

LINK_INVALID = WEB_LINK.message


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.display_name


class WebLinkFormField(forms.URLField):
    """A web address; without a scheme, https is assumed."""

    default_validators = [WEB_LINK]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("error_messages", {"invalid": LINK_INVALID})
        super().__init__(**kwargs)


class HostOrganizationForm(forms.ModelForm):
    website = WebLinkFormField(required=False, max_length=200)

    class Meta:
        model = HostOrganization
        fields = [
            "name", "website", "mission", "needs", "contact_name", "contact_email", "contact_phone"
        ]  # fmt: skip
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 3}),
        }


class FieldProjectForm(forms.Form):
    host = forms.ModelChoiceField(queryset=HostOrganization.objects.none())
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    team = PeopleChoiceField(
        queryset=Cohort.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one resident for the team."},
    )
    mentor = PersonChoiceField(queryset=Cohort.objects.none(), required=False)
    start_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Milestones fall due on the fifth day of each of the four weeks from here.",
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts_all()
        self.fields["team"].queryset = residents_of(cohort=cohort)
        self.fields["mentor"].queryset = mentors_all()


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(choices=MilestoneStatus.choices)


class DeliverableLinkForm(forms.Form):
    url = WebLinkFormField(max_length=500, label="Link")
    label = forms.CharField(max_length=120, required=False, label="What it is")


class HostFeedbackForm(forms.Form):
    feedback = forms.CharField(
        max_length=HOST_FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Write some feedback before sending it.",
            "max_length": f"Feedback can be at most {HOST_FEEDBACK_MAX} characters.",
        },
    )
