"""Reads: the announcements a person may see, what is still unread, and whom one reaches."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from lms.cohorts.models import Cohort, Phase
from lms.cohorts.selectors import cohort_for_resident, cohort_phase
from lms.people.models import User
from lms.people.permissions import user_is_staff

from .models import Announcement, AnnouncementRead, Audience

GRADUATED = (Phase.POST_RESIDENCY, Phase.ALUMNI)
HOME_CARD_LENGTH = 3


def _graduated_cohort_ids() -> list[int]:
    return [c.pk for c in Cohort.objects.all() if cohort_phase(cohort=c) in GRADUATED]


def _addressed_to(*, user: User) -> Q:
    """The announcements whose audience includes ``user``."""
    addressed = Q(audience=Audience.EVERYONE) | Q(
        audience=Audience.COHORT, cohort__pairings__mentor=user
    )
    own = cohort_for_resident(user=user)
    if own is not None:
        addressed |= Q(audience=Audience.COHORT, cohort=own)
        if cohort_phase(cohort=own) in GRADUATED:
            addressed |= Q(audience=Audience.ALUMNI)
    return addressed


def _with_read(queryset: QuerySet[Announcement], user: User) -> QuerySet[Announcement]:
    return queryset.select_related("author", "cohort").annotate(
        is_read=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user))
    )


def announcements_for(*, user: User) -> QuerySet[Announcement]:
    """The announcements page: every one for staff; for others those addressed to them and
    their own, newest first, each with ``is_read``."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    if user_is_staff(user=user):
        queryset = Announcement.objects.all()
    else:
        ids = Announcement.objects.filter(_addressed_to(user=user) | Q(author=user)).values("pk")
        queryset = Announcement.objects.filter(pk__in=ids)
    return _with_read(queryset, user)


def unread_announcements_for(*, user: User) -> QuerySet[Announcement]:
    """What the home page shows until it is read: addressed to ``user``, not theirs, unread."""
    ids = (
        Announcement.objects.filter(_addressed_to(user=user))
        .exclude(author=user)
        .exclude(reads__user=user)
        .values("pk")
    )
    return _with_read(Announcement.objects.filter(pk__in=ids), user)


def announcement_recipients(*, announcement: Announcement) -> list[User]:
    """Everyone an announcement is addressed to (the author aside), for e-mail."""
    people = User.objects.filter(is_active=True)
    if announcement.audience == Audience.COHORT:
        people = people.filter(
            Q(enrollment__cohort=announcement.cohort) | Q(mentees__cohort=announcement.cohort)
        )
    elif announcement.audience == Audience.ALUMNI:
        people = people.filter(enrollment__cohort__in=_graduated_cohort_ids())
    return list(people.exclude(pk=announcement.author_id).distinct().order_by("pk"))


def home_card(*, name: str, page, user: User) -> dict:
    """The home page's card: unread announcements, newest first; once all are read, a link to
    the announcements page (nothing at all for someone who has never had one)."""
    if not user.is_authenticated:
        return {}
    unread = list(unread_announcements_for(user=user)[: HOME_CARD_LENGTH + 1])
    if not unread and not announcements_for(user=user).exists():
        return {}
    return {
        "template": "conversation/home_card.html",
        "announcements": unread[:HOME_CARD_LENGTH],
        "more": len(unread) > HOME_CARD_LENGTH,
    }
