"""Views: a resident's job search, mentors' and staff's views of it, openings, the partner's
private link, the staff board and the outcomes for funders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_default
from lms.csvexport import csv_response
from lms.fieldwork.models import HostOrganization
from lms.people.models import User
from lms.people.permissions import deny_unless, staff_required, user_is_staff

from .forms import (
    ApplicationForm,
    JobForm,
    MoveForm,
    NoteForm,
    OpeningForm,
    ProfileForm,
    RetentionForm,
    StaffOpeningForm,
)
from .models import Application, Opening, Stage
from .permissions import (
    application_access,
    job_hunter_required,
    placement_reader_required,
    user_follows,
    user_job_hunts,
)
from .selectors import (
    OUTCOME_COLUMNS,
    OUTCOME_RULES,
    PIPELINE_STAGES,
    STALLED_AFTER_DAYS,
    application_detail,
    applications_of,
    cohort_board,
    cohort_outcomes,
    graduated_cohorts,
    is_stalled,
    jobs_of,
    mentees_pipelines,
    opening_visible,
    openings_open,
    openings_waiting,
    outcome_bars,
    outcomes_csv_rows,
    partner_applicants,
    partner_by_token,
    partner_openings,
    partners_all,
    profile_card,
    profile_of,
)
from .services import (
    application_create,
    application_move,
    application_note_add,
    application_sharing_set,
    job_record,
    opening_create,
    opening_review,
    opening_update,
    partner_link_ensure,
    partner_link_reset,
    partner_opening_submit,
    profile_save,
    retention_answer,
)

SECTION = {"section_key": "placement"}
NOT_FOUND = "No such card among those you can see."


def _form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _columns(cards: list[Application], today) -> list[dict]:
    columns = [
        {"stage": stage.value, "label": stage.label, "cards": []}
        for stage in (*PIPELINE_STAGES, Stage.WITHDRAWN, Stage.CLOSED)
    ]
    by_stage = {column["stage"]: column for column in columns}
    for card in cards:
        card.stalled = is_stalled(application=card, today=today)
        by_stage[card.stage]["cards"].append(card)
    return [c for c in columns if c["cards"] or c["stage"] in PIPELINE_STAGES]


def _pipeline_context(resident: User, today) -> dict:
    cards = applications_of(resident=resident)
    return {
        "person": resident,
        "columns": _columns(cards, today),
        "card_count": len(cards),
        "jobs": jobs_of(resident=resident),
        "stalled_after": STALLED_AFTER_DAYS,
    }


@login_required
@placement_reader_required
def index(request):
    """Residents: their own job search. Mentors: their mentees'. Staff: the board."""
    user, today = request.user, timezone.localdate()
    if user_job_hunts(user=user):
        context = {
            **SECTION,
            **_pipeline_context(user, today),
            "profile": profile_of(resident=user),
            "form": ApplicationForm(initial={"on": today}),
            "openings": openings_open(today=today)[:6],
        }
        return TemplateResponse(request, "placement/mine.html", context)
    if user_is_staff(user=user):
        cohort = (graduated_cohorts(today=today) or [cohort_default(today=today)])[0]
        if cohort is None:
            raise Http404("No cohorts yet.")
        return redirect("placement:board", cohort.slug)
    context = {**SECTION, "mentees": mentees_pipelines(mentor=user), "today": today}
    return TemplateResponse(request, "placement/mentees.html", context)


@login_required
@job_hunter_required
def profile_edit(request):
    profile = profile_of(resident=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            profile_save(resident=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("placement:person", request.user.username)
    return TemplateResponse(request, "placement/profile_form.html", {**SECTION, "form": form})


@login_required
def person(request, username: str):
    """A graduate's profile, pipeline and jobs: for themself, their mentor and staff."""
    resident = User.objects.filter(username=username, enrollment__isnull=False).first()
    if resident is None or not user_follows(user=request.user, resident=resident):
        raise Http404("No such graduate among those you follow.")
    context = {
        **SECTION,
        **_pipeline_context(resident, timezone.localdate()),
        "card": profile_card(resident=resident),
        "own": resident.pk == request.user.pk,
    }
    return TemplateResponse(request, "placement/person.html", context)


@login_required
@require_POST
@job_hunter_required
def application_new(request):
    opening = None
    if request.POST.get("opening"):
        opening = opening_visible(opening_id=int(request.POST["opening"]), user=request.user)
        if opening is None:
            raise Http404("No such opening.")
        form = ApplicationForm(
            {"organization_name": opening.organization.name, "title": opening.title,
             "stage": Stage.INTERESTED, "on": "", "note": ""}
        )  # fmt: skip
    else:
        form = ApplicationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            card = application_create(
                resident=request.user, by=request.user, opening=opening,
                organization_name=data["organization_name"], title=data["title"],
                stage=data["stage"], on=data["on"], note=data["note"],
            )  # fmt: skip
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"“{card.title}” at {card.organization_name} is on your board."
            )
            return redirect("placement:application", card.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("placement:index")


def _visible_card(request, application_id: int) -> Application:
    card = application_detail(application_id=application_id)
    if card is None or not application_access(user=request.user, application=card):
        raise Http404(NOT_FOUND)
    return card


@login_required
def application(request, application_id: int, move_form=None, status=200):
    card = _visible_card(request, application_id)
    today = timezone.localdate()
    context = {
        **SECTION,
        "card": card,
        "own": card.resident_id == request.user.pk,
        "stalled": is_stalled(application=card, today=today),
        "move_form": move_form or MoveForm(initial={"on": today}),
        "note_form": NoteForm(),
        "stages": PIPELINE_STAGES,
        "needs_job": card.stage == Stage.PLACED and not card.jobs.exists(),
    }
    return TemplateResponse(request, "placement/application.html", context, status=status)


@login_required
@require_POST
def application_move_view(request, application_id: int):
    card = _visible_card(request, application_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application_move(
                application=card, by=request.user, stage=data["stage"], on=data["on"],
                note=data["note"], interview_at=data["interview_at"],
            )  # fmt: skip
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Moved to “{Stage(card.stage).label}”.")
            if card.stage == Stage.PLACED and card.resident_id == request.user.pk:
                messages.info(request, "Congratulations! Record the job so it counts.")
                return redirect(f"{reverse('placement:job-new')}?application={card.pk}")
            return redirect("placement:application", card.pk)
    return application(request, application_id, move_form=form, status=400)


@login_required
@require_POST
def application_note(request, application_id: int):
    card = _visible_card(request, application_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            application_note_add(application=card, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Note added.")
    else:
        messages.error(request, "Write a note first.")
    return redirect("placement:application", card.pk)


@login_required
@require_POST
def application_share(request, application_id: int):
    card = _visible_card(request, application_id)
    deny_unless(
        card.resident_id == request.user.pk, "Only the resident decides who reads their profile."
    )
    share = request.POST.get("share") == "yes"
    application_sharing_set(application=card, by=request.user, share=share)
    messages.success(
        request,
        f"{card.organization_name} can now read your profile."
        if share
        else f"{card.organization_name} no longer sees your profile.",
    )
    return redirect("placement:application", card.pk)


@login_required
@job_hunter_required
def job_new(request):
    card = None
    if request.GET.get("application", "").isdigit():
        card = _visible_card(request, int(request.GET["application"]))
        deny_unless(card.resident_id == request.user.pk)
    initial = {"start_date": timezone.localdate()}
    if card:
        initial |= {"organization_name": card.organization_name, "role": card.title}
    form = JobForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            job = job_record(
                resident=request.user, by=request.user, application=card, **form.cleaned_data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Recorded: {job.role} at {job.organization_name}.")
            return redirect("placement:index")
    context = {**SECTION, "form": form, "card": card}
    return TemplateResponse(request, "placement/job_form.html", context)


@login_required
@require_POST
@job_hunter_required
def retention(request):
    form = RetentionForm(request.POST)
    if form.is_valid():
        retention_answer(resident=request.user, employed=form.cleaned_data["employed"])
        messages.success(request, "Thank you — that helps the program keep its promise.")
    else:
        messages.error(request, "Choose yes or no.")
    return redirect("commitments:index")


# Openings -------------------------------------------------------------------------------


@login_required
@placement_reader_required
def openings(request):
    staff = user_is_staff(user=request.user)
    context = {
        **SECTION,
        "openings": openings_open(),
        "waiting": openings_waiting() if staff else [],
        "is_staff": staff,
    }
    return TemplateResponse(request, "placement/openings.html", context)


@login_required
@placement_reader_required
def opening(request, opening_id: int):
    found = opening_visible(opening_id=opening_id, user=request.user)
    if found is None:
        raise Http404("No such opening.")
    context = {
        **SECTION,
        "opening": found,
        "is_staff": user_is_staff(user=request.user),
        "can_add": user_job_hunts(user=request.user),
        "mine": Application.objects.filter(opening=found, resident=request.user).first(),
    }
    return TemplateResponse(request, "placement/opening.html", context)


def _opening_form_page(request, *, found: Opening | None):
    initial = {"organization": found.organization_id} if found else {}
    form = StaffOpeningForm(request.POST or None, instance=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in OpeningForm.Meta.fields}
        try:
            if found is None:
                saved = opening_create(
                    organization=form.cleaned_data["organization"], by=request.user, **fields
                )
            else:
                saved = opening_update(opening=found, **fields)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"“{saved.title}” saved.")
            return redirect("placement:opening", saved.pk)
    context = {**SECTION, "form": form, "opening": found}
    return TemplateResponse(request, "placement/opening_form.html", context)


@login_required
@staff_required
def opening_new(request):
    return _opening_form_page(request, found=None)


@login_required
@staff_required
def opening_edit(request, opening_id: int):
    return _opening_form_page(request, found=get_object_or_404(Opening, pk=opening_id))


@login_required
@require_POST
@staff_required
def opening_review_view(request, opening_id: int):
    found = get_object_or_404(Opening, pk=opening_id)
    approve = request.POST.get("decision") == "approve"
    opening_review(opening=found, by=request.user, approve=approve)
    if approve:
        messages.success(request, f"“{found.title}” is open to residents.")
    else:
        messages.success(request, f"“{found.title}” was declined.")
    return redirect("placement:openings")


@login_required
@staff_required
def partners(request):
    context = {**SECTION, "partners": partners_all()}
    return TemplateResponse(request, "placement/partners.html", context)


@login_required
@require_POST
@staff_required
def partner_link(request, organization_id: int):
    organization = get_object_or_404(HostOrganization, pk=organization_id)
    if request.POST.get("reset") == "yes":
        partner_link_reset(organization=organization)
        messages.success(
            request, f"{organization.name} has a new link; the old one no longer works."
        )
    else:
        partner_link_ensure(organization=organization)
        messages.success(request, f"{organization.name}'s link is ready to send.")
    return redirect(f"{reverse('placement:partners')}#partner-{organization.pk}")


def _partner_headers(response):
    # The token is in the URL: as on the field-project host's page, keep it out of other sites'
    # Referer headers, search engines and caches.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def partner_page(request, token: str):
    """The partner's page, reached by the private link alone: send an opening, see those sent,
    and read the profiles graduates chose to share with the organization."""
    link = partner_by_token(token=token)
    if link is None:
        raise Http404("This link does not work; ask the program's staff for a new one.")
    form = OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = partner_opening_submit(partner_link=link, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"Thank you — “{sent.title}” reaches residents once staff approve it."
            )
            return _partner_headers(redirect(request.path))
    context = {
        "organization": link.organization,
        "form": form,
        "openings": partner_openings(organization=link.organization),
        "applicants": partner_applicants(organization=link.organization),
    }
    status = 400 if request.method == "POST" else 200
    return _partner_headers(
        TemplateResponse(request, "placement/partner.html", context, status=status)
    )


# Staff: the board and the outcomes ------------------------------------------------------


@login_required
@staff_required
def board(request, slug: str):
    cohort = get_object_or_404(Cohort, slug=slug)
    context = {
        **SECTION,
        "cohort": cohort,
        "cohorts": Cohort.objects.order_by("-start_date"),
        "columns": cohort_board(cohort=cohort),
        "stalled_after": STALLED_AFTER_DAYS,
    }
    return TemplateResponse(request, "placement/board.html", context)


def _outcome_cohorts(request) -> tuple[list[Cohort], Cohort | None]:
    cohorts = graduated_cohorts()
    slug = request.GET.get("cohort")
    chosen = next((c for c in cohorts if c.slug == slug), None) if slug else None
    if slug and chosen is None:
        raise Http404("No graduated cohort by that name.")
    return cohorts, chosen or (cohorts[0] if cohorts else None)


@login_required
@staff_required
def outcomes(request):
    cohorts, cohort = _outcome_cohorts(request)
    figures = cohort_outcomes(cohort=cohort) if cohort else None
    context = {
        **SECTION,
        "cohorts": cohorts,
        "cohort": cohort,
        "o": figures,
        "bars": outcome_bars(outcomes=figures) if figures else [],
        "rules": OUTCOME_RULES,
    }
    return TemplateResponse(request, "placement/outcomes.html", context)


@login_required
@staff_required
def outcomes_csv(request):
    figures = [cohort_outcomes(cohort=cohort) for cohort in graduated_cohorts()]
    return csv_response(
        "placement-outcomes.csv", OUTCOME_COLUMNS, outcomes_csv_rows(outcomes=figures)
    )
