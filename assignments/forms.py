"""The admin's assignment upload form; the checks themselves live in ``services.assignment_create``."""

from django import forms

from courses.models import WeekPage
from lms.cohorts.models import Cohort

from .models import Assignment, LatePolicy
from .services.editing import EDITABLE_FIELDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: notebooks and the data files they read."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class WeekChoiceField(forms.ModelChoiceField):
    """Weeks named with their cohort: every cohort has a week 1."""

    def label_from_instance(self, week):
        return f"{week.get_parent().title} · week {week.number}: {week.title}"


class AssignmentUploadForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.all())
    week = WeekChoiceField(
        queryset=WeekPage.objects.all().order_by("number"), required=False,
        help_text="The week it belongs to; progress records count it there.",
    )  # fmt: skip
    name = forms.SlugField(
        max_length=100, help_text="As in nbgrader: ps1, data-cleaning. Unique in the cohort."
    )
    title = forms.CharField(max_length=200, required=False)
    release_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    due_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    late_policy = forms.ChoiceField(choices=LatePolicy.choices, initial=LatePolicy.PER_DAY)
    late_penalty_percent_per_day = forms.IntegerField(min_value=0, max_value=100, initial=10)
    show_hidden_tests_in_feedback = forms.BooleanField(required=False)
    feedback_policy = forms.ChoiceField(
        choices=[("automatic", "As soon as it is graded"), ("manual", "When staff release it")],
        initial="automatic",
        required=False,
        label="Residents see feedback",
    )
    files = MultipleFileField(
        help_text="The nbgrader source notebooks (with solutions and tests) and any data files."
    )

    def __init__(self, *args, weeks=None, **kwargs):
        """``weeks``: the weeks this author may write (None: all); only their cohorts are offered."""
        super().__init__(*args, **kwargs)
        if weeks is not None:
            self.fields["week"].queryset = WeekPage.objects.filter(
                pk__in=[w.pk for w in weeks]
            ).order_by("number")
            self.fields["week"].required = True
            self.fields["cohort"].queryset = Cohort.objects.filter(
                syllabus__in=[w.get_parent() for w in weeks]
            )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("release_at")
            and cleaned.get("due_at")
            and cleaned["due_at"] <= cleaned["release_at"]
        ):
            self.add_error("due_at", "The due time has to come after the release time.")
        return cleaned


class ExtensionForm(forms.Form):
    due_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(max_length=300, required=False)


class AssignmentEditForm(forms.ModelForm):
    """An assignment's settings after upload, a new version of its files, and each graded
    cell's points (one field per cell, named ``points:<notebook>:<grade id>``)."""

    week = WeekChoiceField(queryset=WeekPage.objects.all().order_by("number"), required=False)
    files = MultipleFileField(
        required=False,
        help_text="A new version of the source notebooks and data files, replacing all of them. "
        "Leave empty to keep the current files.",
    )

    class Meta:
        model = Assignment
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "release_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "due_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        labels = {"feedback_policy": "Residents see score and feedback"}

    def __init__(self, *args, cells=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cell_fields = []
        for cell in cells:
            name = f"points:{cell.notebook}:{cell.grade_id}"
            self.fields[name] = forms.FloatField(
                min_value=0,
                initial=cell.points,
                label=f"{cell.grade_id} ({cell.notebook}, {cell.kind})",
            )
            self.cell_fields.append((name, cell))

    def changed_points(self) -> dict[tuple[str, str], float]:
        return {
            (cell.notebook, cell.grade_id): self.cleaned_data[name]
            for name, cell in self.cell_fields
            if name in self.cleaned_data and self.cleaned_data[name] != cell.points
        }

    def settings(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}
