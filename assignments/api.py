"""The exchange API: JupyterLab's Assignments panel lists, fetches, submits and fetches feedback here.

Every call acts as the resident whose OAuth token it carries: only released
assignments of their own cohort, only their own submissions and feedback.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from common.archives import ArchiveError, ArchiveLimits, archive_pack, archive_unpack
from common.nbgrader_times import exchange_timestamp
from lms.cohorts.selectors import cohort_for_resident
from lms.hub.auth import api_error, bearer_user

from . import selectors
from .models import Assignment, Submission
from .services import SubmissionError, submission_create

NOT_A_RESIDENT = "Only residents enrolled in a cohort have assignments; {user} is not enrolled."
NO_SUCH_ASSIGNMENT = "Your cohort has no assignment called {name!r}."
NOT_RELEASED_YET = "{name} opens {when}; it cannot be fetched or submitted before then."
UPLOAD_TOO_LARGE = "The upload is {size} bytes; a submission may be at most {limit} bytes."
BAD_CLIENT_KEY = "The X-Submission-Key header must be 1 to 64 letters, digits, '-' or '_'."
TOO_MANY_SUBMISSIONS = (
    "You have handed in {count} times in the last hour, the most the LMS grades; your versions "
    "so far are kept. Hand in again in a little while."
)


def _resident(request):
    user, refusal = bearer_user(request, scopes=["exchange"])
    if refusal:
        return None, None, refusal
    cohort = cohort_for_resident(user=user)
    if cohort is None:
        return None, None, api_error(403, NOT_A_RESIDENT.format(user=user.username))
    return user, cohort, None


def _released_assignment(cohort, name: str):
    assignment = Assignment.objects.filter(cohort=cohort, name=name).first()
    if assignment is None:
        return None, api_error(404, NO_SUCH_ASSIGNMENT.format(name=name))
    if assignment.release_at > timezone.now():
        when = timezone.localtime(assignment.release_at).strftime("%a %b %-d at %-I:%M %p %Z")
        return None, api_error(403, NOT_RELEASED_YET.format(name=name, when=when))
    return assignment, None


def _resident_and_assignment(request, name: str):
    """The calling resident and their cohort's released assignment ``name``, or a refusal."""
    user, cohort, refusal = _resident(request)
    if refusal:
        return None, None, refusal
    assignment, refusal = _released_assignment(cohort, name)
    return user, assignment, refusal


@require_GET
def assignment_list(request):
    user, _cohort, refusal = _resident(request)
    if refusal:
        return refusal
    return JsonResponse(selectors.exchange_listing(resident=user))


@require_GET
def assignment_release(request, name: str):
    user, assignment, refusal = _resident_and_assignment(request, name)
    if refusal:
        return refusal
    response = HttpResponse(
        archive_pack(selectors.release_files(assignment=assignment)),
        content_type="application/zip",
    )
    response["Content-Disposition"] = f'attachment; filename="{assignment.name}.zip"'
    return response


@csrf_exempt
@require_POST
def submission_upload(request, name: str):
    """Store a zip of the resident's assignment folder as a new submission and queue grading."""
    user, assignment, refusal = _resident_and_assignment(request, name)
    if refusal:
        return refusal
    client_key = request.headers.get("X-Submission-Key", "")
    if client_key and not (
        len(client_key) <= 64 and all(ch.isalnum() or ch in "-_" for ch in client_key)
    ):
        return api_error(400, BAD_CLIENT_KEY)
    limit = settings.LMS_SUBMISSION_LIMITS["max_total_bytes"]
    body = request.read(limit + 1)
    if len(body) > limit:
        return api_error(413, UPLOAD_TOO_LARGE.format(size=f"over {limit}", limit=limit))
    seen_before = (
        bool(client_key)
        and Submission.objects.filter(
            resident=user, client_key=client_key, assignment=assignment
        ).exists()
    )
    # Each new version buys a sandboxed grading run; a retried upload of one already stored does not.
    if not seen_before and is_ratelimited(
        request, group="exchange-submission", key=lambda _group, _request: f"resident:{user.pk}",
        rate=settings.LMS_SUBMISSION_RATE, increment=True,
    ):  # fmt: skip
        count = settings.LMS_SUBMISSION_RATE.split("/")[0]
        return api_error(429, TOO_MANY_SUBMISSIONS.format(count=count))
    try:
        files = archive_unpack(body, ArchiveLimits(**settings.LMS_SUBMISSION_LIMITS))
        submission = submission_create(
            assignment=assignment, resident=user, files=files, client_key=client_key
        )
    except ArchiveError as error:
        return api_error(400, str(error))
    except SubmissionError as error:
        return api_error(400, error.messages[0])
    return JsonResponse(
        {
            "assignment": assignment.name,
            "version": submission.version,
            "timestamp": exchange_timestamp(submission.submitted_at),
            "shown_at": selectors.shown_time(submission.submitted_at),
            "status": "queued",
        },
        status=200 if seen_before else 201,
    )


@require_GET
def feedback_list(request, name: str):
    user, assignment, refusal = _resident_and_assignment(request, name)
    if refusal:
        return refusal
    return JsonResponse(
        {
            "assignment": name,
            "feedback": selectors.feedback_for(assignment=assignment, resident=user),
        }
    )
