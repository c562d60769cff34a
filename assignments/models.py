"""Notebook assignments, immutable submissions, and their gradings: each resident's record of grades."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from .policy import LateRule


class LatePolicy(models.TextChoices):
    """The late rules of the grading policy (``assignments.policy.LateRule``), with their labels."""

    ACCEPT = LateRule.ACCEPT.value, "Accept late work without penalty"
    PER_DAY = LateRule.PER_DAY.value, "Deduct a percentage per day late"
    ZERO = LateRule.ZERO.value, "Late work scores zero"
    REFUSE = LateRule.REFUSE.value, "Refuse late work"


WEEK_OF_ANOTHER_COHORT = (
    "Week {week} you chose is in another cohort's syllabus; choose a week of {cohort}."
)
LESSON_OF_ANOTHER_COHORT = (
    "That lesson is in another cohort's syllabus; choose a lesson of {cohort}."
)


class Assignment(models.Model):
    """A set of nbgrader notebooks residents of one cohort fetch, complete and submit."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="assignments"
    )
    name = models.SlugField(
        max_length=100, help_text="Short name, as in nbgrader: folder and exchange name."
    )
    title = models.CharField(max_length=200, blank=True)
    week = models.ForeignKey(
        "courses.WeekPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_at = models.DateTimeField()
    due_at = models.DateTimeField()
    late_policy = models.CharField(
        max_length=10, choices=LatePolicy.choices, default=LatePolicy.PER_DAY
    )
    late_penalty_percent_per_day = models.PositiveSmallIntegerField(default=10)
    show_hidden_tests_in_feedback = models.BooleanField(
        default=False, help_text="Let residents see hidden tests and their output in feedback."
    )
    max_score = models.FloatField(default=0)
    feedback_policy = models.CharField(
        max_length=10,
        choices=[("automatic", "As soon as it is graded"), ("manual", "When staff release it")],
        default="automatic",
    )
    feedback_released_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff released feedback to the whole cohort."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "name"], name="assignment_name_unique_in_cohort"
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=F("release_at")), name="due_after_release"
            ),
            models.CheckConstraint(
                condition=Q(late_penalty_percent_per_day__lte=100), name="late_penalty_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.cohort})"

    def clean(self):
        """A week and a lesson belong to one cohort's syllabus: an assignment may sit only in
        its own cohort's (else a guest instructor granted a week of one cohort could write
        into another, and read its grades)."""
        super().clean()
        errors = {}
        if self.cohort_id and self.week_id:
            syllabus = self.week.get_parent().specific
            if getattr(syllabus, "cohort_id", None) != self.cohort_id:
                errors["week"] = WEEK_OF_ANOTHER_COHORT.format(
                    week=self.week.number, cohort=self.cohort
                )
        if self.cohort_id and self.lesson_id:
            syllabus = self.lesson.get_parent().get_parent().specific
            if getattr(syllabus, "cohort_id", None) != self.cohort_id:
                errors["lesson"] = LESSON_OF_ANOTHER_COHORT.format(cohort=self.cohort)
        if errors:
            raise ValidationError(errors)


class StoredFile(models.Model):
    """A file kept in the database: its relative path, bytes, SHA-256 and size."""

    path = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        abstract = True


class AssignmentFile(StoredFile):
    """One file of an assignment: a source notebook, its generated release version, or a data file.

    Contents live in the database so an upload is stored whole or not at all,
    and every worker and hub reads the same bytes.
    """

    class Kind(models.TextChoices):
        SOURCE = "source", "Source notebook"
        RELEASE = "release", "Release notebook"
        SUPPORT = "support", "Supporting file"
        GRADEBOOK = "gradebook", "Grading gradebook (made at upload; never sent to residents)"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "path"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "path"], name="one_file_per_path"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.name}/{self.path} ({self.kind})"


class Extension(models.Model):
    """More time for one resident on one assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions"
    )
    due_at = models.DateTimeField(help_text="The resident's own due time.")
    reason = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "resident"], name="one_extension_each"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} until {self.due_at:%Y-%m-%d %H:%M} on {self.assignment.name}"


class ChangeRecord(models.Model):
    """Who made a change and when; the histories of due times, grades and assignments. Never edited."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]


class ExtensionChange(ChangeRecord):
    """One change to a resident's due time: the due time before, the one after, who, when, why."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extension_changes"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extension_changes"
    )
    old_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.resident} on {self.assignment.name}: {self.old_due_at} -> {self.new_due_at}"


class Submission(models.Model):
    """One submitted version. Never changed or deleted: a resubmission is a new version."""

    class Origin(models.TextChoices):
        JUPYTER = "jupyter", "JupyterLab"
        WEB = "web", "Web upload"
        IMPORT = "import", "nbgrader import"

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="submissions")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    version = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    checksum = models.CharField(
        max_length=64, help_text="SHA-256 over the files' names and hashes."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.JUPYTER)
    client_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="Chosen by the submitting client, so a retried upload is stored once.",
    )

    class Meta:
        ordering = ["assignment", "resident", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "resident", "version"], name="submission_version_unique"
            ),
            models.UniqueConstraint(
                fields=["resident", "client_key"],
                condition=~models.Q(client_key=""),
                name="submission_client_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.name} by {self.resident.username}, v{self.version}"


class SubmissionFile(StoredFile):
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "path"], name="submission_path_unique"),
        ]

    def __str__(self) -> str:
        return self.path


class Grading(models.Model):
    """The grading of one submission version: its state, its scores and its feedback."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Grading"
        GRADED = "graded", "Graded"
        FAILED = "failed", "Could not be graded"
        SKIPPED = "skipped", "Replaced by a newer version before grading"

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="grading")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="A running grading whose lease ran out is queued again."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    raw_score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(default=0)
    late_penalty = models.FloatField(default=0)
    score = models.FloatField(null=True, blank=True)
    seconds_late = models.PositiveIntegerField(default=0)
    needs_manual_grading = models.BooleanField(default=False)
    notes = models.TextField(blank=True, help_text="What the grader had to repair or could not do.")
    graded_notebooks = models.JSONField(
        default=dict, blank=True, help_text="The executed notebooks, by name, for feedback."
    )
    feedback_html = models.TextField(blank=True)
    feedback_released_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff released this resident's feedback."
    )
    feedback_files = models.JSONField(
        default=dict, blank=True, help_text="Feedback HTML per notebook, as JupyterLab fetches it."
    )
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(raw_score__isnull=True) | Q(raw_score__gte=0),
                name="raw_score_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(late_penalty__gte=0), name="late_penalty_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Grading of submission {self.submission_id}: {self.status}"


class CellGrade(models.Model):
    """Points for one graded cell of one notebook of a submission."""

    grading = models.ForeignKey(Grading, on_delete=models.CASCADE, related_name="cells")
    notebook = models.CharField(max_length=255)
    grade_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, help_text="autograded test, manual answer, or task")
    auto_score = models.FloatField(null=True, blank=True)
    manual_score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField()
    needs_manual_grade = models.BooleanField(default=False)
    hidden_tests = models.BooleanField(default=False)
    output = models.TextField(blank=True)
    comment = models.TextField(blank=True, help_text="The grader's note to the resident.")
    rubric = models.ManyToManyField(
        "RubricCriterion", blank=True, related_name="chosen_in",
        help_text="The rubric criteria the grader chose for this answer.",
    )  # fmt: skip

    class Meta:
        ordering = ["notebook", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grading", "notebook", "grade_id"], name="cell_grade_unique"
            ),
            models.CheckConstraint(
                condition=Q(auto_score__isnull=True)
                | (Q(auto_score__gte=0) & Q(auto_score__lte=F("max_score"))),
                name="auto_score_within_bounds",
            ),
            models.CheckConstraint(
                condition=Q(manual_score__isnull=True)
                | (Q(manual_score__gte=0) & Q(manual_score__lte=F("max_score"))),
                name="manual_score_within_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notebook}/{self.grade_id}"

    @property
    def score(self) -> float | None:
        return self.manual_score if self.manual_score is not None else self.auto_score

    @property
    def awaiting_grader(self) -> bool:
        """An answer waiting for a person's points: what feedback and the desk call "awaiting a grader"."""
        return self.needs_manual_grade and self.manual_score is None


class GradeChange(ChangeRecord):
    """One change a person made to a grading: who, when, what, from what, to what. Never edited."""

    class What(models.TextChoices):
        POINTS = "points", "Points"
        COMMENT = "comment", "Comment"
        FEEDBACK = "feedback", "Feedback release"
        REGRADE = "regrade", "Regrade"
        RUBRIC = "rubric", "Rubric choices"

    grading = models.ForeignKey(Grading, on_delete=models.CASCADE, related_name="changes")
    cell = models.ForeignKey(
        CellGrade, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    what = models.CharField(max_length=20, choices=What.choices)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.what}: {self.old!r} -> {self.new!r}"


class RubricCriterion(models.Model):
    """One criterion of a graded cell's rubric, shared by every resident's answer to that cell:
    what the grader looks for and the points it is worth. Graders choose criteria with a click."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="rubric")
    notebook = models.CharField(max_length=255)
    grade_id = models.CharField(max_length=255)
    description = models.CharField(max_length=300)
    points = models.FloatField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["notebook", "grade_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="rubric_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.grade_id}: {self.description} ({self.points:g})"


class AssignmentChange(ChangeRecord):
    """One edit to an assignment's settings or files: which field, from what, to what, who, when."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=50)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.assignment.name}: {self.field} {self.old!r} -> {self.new!r}"

    EXTRA_LABELS = {"files": "Files", "points": "Points", "regrade": "Grading again"}

    @property
    def label(self) -> str:
        """The changed field as people name it."""
        if self.field in self.EXTRA_LABELS:
            return self.EXTRA_LABELS[self.field]
        return str(Assignment._meta.get_field(self.field).verbose_name).capitalize()
