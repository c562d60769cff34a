"""Views: the cohort's project showcase, a project's timeline, hosts, and the host's feedback link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from lms.cohorts.models import Cohort
from lms.people.permissions import deny_unless, staff_required, user_is_staff

from .forms import (
    DeliverableLinkForm,
    FieldProjectForm,
    HostFeedbackForm,
    HostOrganizationForm,
    MilestoneStatusForm,
)
from .models import DeliverableLink, FieldProject, HostOrganization, Milestone, MilestoneStatus
from .permissions import Access, host_access, project_access
from .selectors import (
    MILESTONE_GOALS,
    cohorts_for,
    default_cohort_for,
    default_start_date,
    host_projects,
    hosts_all,
    project_by_host_token,
    project_cards,
    project_detail,
)
from .services import (
    deliverable_add,
    deliverable_remove,
    field_project_create,
    field_project_update,
    host_feedback_leave,
    host_link_reset,
    host_organization_create,
    host_organization_update,
    milestone_status_set,
)

SECTION = {"section_key": "fieldwork"}
NOT_FOUND = "No such field project among those you can see."


def _errors_to_messages(request, errors) -> None:
    for field_errors in errors.values():
        for error in field_errors:
            messages.error(request, error)


@login_required
def index(request):
    """The cohort's projects as cards; staff and mentors pick among their cohorts."""
    cohorts = cohorts_for(user=request.user)
    slug = request.GET.get("cohort")
    cohort = (
        get_object_or_404(cohorts, slug=slug) if slug else default_cohort_for(user=request.user)
    )
    if cohort is None:
        raise Http404(NOT_FOUND)
    context = {
        **SECTION,
        "cohort": cohort,
        "cohorts": cohorts if cohorts.count() > 1 else [],
        "cards": project_cards(cohort=cohort, user=request.user),
        "is_staff": user_is_staff(user=request.user),
    }
    return TemplateResponse(request, "fieldwork/project_list.html", context)


def _timeline(project: FieldProject) -> list[dict]:
    return [
        {"milestone": milestone, "goal": MILESTONE_GOALS[milestone.kind]}
        for milestone in project.milestones.all()
    ]


@login_required
def project(request, project_id: int):
    found = project_detail(project_id=project_id)
    access = project_access(user=request.user, project=found) if found else Access.NONE
    if access < Access.VIEW:
        raise Http404(NOT_FOUND)
    timeline = _timeline(found)
    context = {
        **SECTION,
        "project": found,
        "access": access,
        "can_edit": access >= Access.EDIT,
        "can_manage": access >= Access.MANAGE,
        "timeline": timeline,
        "end_date": timeline[-1]["milestone"].due_on if timeline else found.start_date,
        "statuses": MilestoneStatus.choices,
        "host_link": request.build_absolute_uri(
            reverse("fieldwork:host-feedback", args=[found.host_token])
        )
        if access >= Access.EDIT
        else "",
    }
    return TemplateResponse(request, "fieldwork/project_detail.html", context)


def _editable_milestone(request, milestone_id: int) -> Milestone:
    milestone = Milestone.objects.select_related("project").filter(pk=milestone_id).first()
    access = project_access(user=request.user, project=milestone.project) if milestone else None
    if milestone is None or access < Access.VIEW:
        raise Http404(NOT_FOUND)
    deny_unless(access >= Access.EDIT)
    return milestone


def _back_to(milestone: Milestone) -> str:
    return f"{reverse('fieldwork:project', args=[milestone.project_id])}#milestone-{milestone.kind}"


@login_required
@require_POST
def milestone_status(request, milestone_id: int):
    milestone = _editable_milestone(request, milestone_id)
    form = MilestoneStatusForm(request.POST)
    if form.is_valid():
        milestone_status_set(
            milestone=milestone, user=request.user, status=form.cleaned_data["status"]
        )
        messages.success(
            request, f"{milestone.get_kind_display()} is now “{milestone.get_status_display()}”."
        )
    else:
        _errors_to_messages(request, form.errors)
    return redirect(_back_to(milestone))


@login_required
@require_POST
def milestone_link_add(request, milestone_id: int):
    milestone = _editable_milestone(request, milestone_id)
    form = DeliverableLinkForm(request.POST)
    if form.is_valid():
        try:
            deliverable_add(
                milestone=milestone, user=request.user,
                url=form.cleaned_data["url"], label=form.cleaned_data["label"],
            )  # fmt: skip
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Link added to {milestone.get_kind_display()}.")
    else:
        _errors_to_messages(request, form.errors)
    return redirect(_back_to(milestone))


@login_required
@require_POST
def link_remove(request, link_id: int):
    link = DeliverableLink.objects.select_related("milestone__project").filter(pk=link_id).first()
    if link is None:
        raise Http404(NOT_FOUND)
    milestone = _editable_milestone(request, link.milestone_id)
    deliverable_remove(link=link, user=request.user)
    messages.success(request, f"Link removed from {milestone.get_kind_display()}.")
    return redirect(_back_to(milestone))


@login_required
@require_POST
@staff_required
def host_link_reset_view(request, project_id: int):
    found = get_object_or_404(FieldProject, pk=project_id)
    host_link_reset(project=found)
    messages.success(
        request,
        "The host feedback link is new; the old one no longer works. Send the host the new one.",
    )
    return redirect(f"{reverse('fieldwork:project', args=[found.pk])}#host-link")


def _project_form_save(request, form, *, cohort: Cohort, existing: FieldProject | None):
    data = form.cleaned_data
    fields = {
        "host": data["host"], "title": data["title"], "summary": data["summary"],
        "team": list(data["team"]), "mentor": data["mentor"], "start_date": data["start_date"],
    }  # fmt: skip
    try:
        if existing is None:
            return field_project_create(cohort=cohort, **fields)
        return field_project_update(project=existing, **fields)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
@staff_required
def project_create(request):
    cohort = get_object_or_404(Cohort, slug=request.GET.get("cohort", ""))
    form = FieldProjectForm(
        request.POST or None,
        cohort=cohort,
        initial={"start_date": default_start_date(cohort=cohort)},
    )
    if request.method == "POST" and form.is_valid():
        created = _project_form_save(request, form, cohort=cohort, existing=None)
        if created is not None:
            messages.success(request, f"“{created.title}” created with its four milestones.")
            return redirect("fieldwork:project", created.pk)
    context = {**SECTION, "form": form, "cohort": cohort, "project": None}
    return TemplateResponse(request, "fieldwork/project_form.html", context)


@login_required
@staff_required
def project_edit(request, project_id: int):
    found = get_object_or_404(FieldProject.objects.select_related("cohort"), pk=project_id)
    initial = {
        "host": found.host_id, "title": found.title, "summary": found.summary,
        "team": list(found.team.values_list("pk", flat=True)), "mentor": found.mentor_id,
        "start_date": found.start_date,
    }  # fmt: skip
    form = FieldProjectForm(request.POST or None, cohort=found.cohort, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _project_form_save(request, form, cohort=found.cohort, existing=found) is not None
    ):
        messages.success(request, f"“{found.title}” saved.")
        return redirect("fieldwork:project", found.pk)
    context = {**SECTION, "form": form, "cohort": found.cohort, "project": found}
    return TemplateResponse(request, "fieldwork/project_form.html", context)


@login_required
@staff_required
def host_list(request):
    context = {**SECTION, "hosts": hosts_all().prefetch_related("projects__cohort")}
    return TemplateResponse(request, "fieldwork/host_list.html", context)


@login_required
def host_detail(request, host_id: int):
    host = HostOrganization.objects.filter(pk=host_id).first()
    access = host_access(user=request.user, host=host) if host else Access.NONE
    if access < Access.VIEW:
        raise Http404("No such host organization among those you can see.")
    context = {
        **SECTION,
        "host": host,
        "show_contact": access >= Access.EDIT,
        "can_manage": access >= Access.MANAGE,
        "projects": host_projects(host=host, user=request.user),
    }
    return TemplateResponse(request, "fieldwork/host_detail.html", context)


def _host_form_page(request, *, host: HostOrganization | None):
    form = HostOrganizationForm(request.POST or None, instance=host)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if host is None:
                saved = host_organization_create(**fields)
            else:
                saved = host_organization_update(host=host, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("fieldwork:host", saved.pk)
    context = {**SECTION, "form": form, "host": host}
    return TemplateResponse(request, "fieldwork/host_form.html", context)


@login_required
@staff_required
def host_create(request):
    return _host_form_page(request, host=None)


@login_required
@staff_required
def host_edit(request, host_id: int):
    return _host_form_page(request, host=get_object_or_404(HostOrganization, pk=host_id))


def _host_page_headers(response):
    # The token is in the URL: keep it out of other sites' Referer headers, search engines and
    # caches. "same-origin", not "no-referrer": with no referrer the browser sends "Origin: null"
    # and Django's CSRF check refuses the host's own feedback form.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def host_feedback(request, token: str):
    """The host's page, reached by the private link alone: milestones and a feedback form each."""
    found = project_by_host_token(token=token)
    if found is None:
        raise Http404("This feedback link does not work; ask the team for a new one.")
    forms_by_milestone = {}
    if request.method == "POST":
        try:
            milestone_id = int(request.POST.get("milestone", ""))
        except ValueError:
            raise Http404("No such milestone on this project.") from None
        milestone = get_object_or_404(Milestone, pk=milestone_id, project=found)
        form = HostFeedbackForm(request.POST, prefix=f"m{milestone.pk}")
        if form.is_valid():
            try:
                host_feedback_leave(milestone=milestone, text=form.cleaned_data["feedback"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"Thank you — the team will read your feedback on {milestone.get_kind_display()}.",
                )
                return _host_page_headers(redirect(f"{request.path}#milestone-{milestone.kind}"))
        forms_by_milestone[milestone.pk] = form
    timeline = [
        {
            "milestone": milestone,
            "goal": MILESTONE_GOALS[milestone.kind],
            "form": forms_by_milestone.get(milestone.pk)
            or HostFeedbackForm(
                prefix=f"m{milestone.pk}", initial={"feedback": milestone.host_feedback}
            ),
        }
        for milestone in found.milestones.all()
    ]
    response = TemplateResponse(
        request, "fieldwork/host_feedback.html", {"project": found, "timeline": timeline}
    )
    return _host_page_headers(response)
