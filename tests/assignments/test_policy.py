"""The grading policy's rules at their edges: pure functions, no database, no clock."""

import datetime
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assignments import policy
from assignments.policy import LateRule, State, WeekTotal

DUE = datetime.datetime(2025, 3, 14, 17, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
DAY = policy.SECONDS_PER_DAY


@dataclass(frozen=True)
class Version:
    """A submitted version as the policy reads it."""

    submitted_at: datetime.datetime
    status: str | None = policy.GRADED
    score: float | None = None


@dataclass(frozen=True)
class Cell:
    needs_manual_grade: bool


def at(hours: float) -> Version:
    """A version handed in ``hours`` after the due time (negative: before it)."""
    return Version(submitted_at=DUE + hours * HOUR)


def counting(versions, rule, due=DUE):
    return policy.counting_version(versions, late_rule=rule, due=due)


def penalty(rule, seconds, raw=10.0, percent=10):
    return policy.late_penalty(
        late_rule=rule, percent_per_day=percent, raw_score=raw, seconds_late=seconds
    )


def scored(*, auto=8.0, adjustment=0.0, hours_late=0.0, rule=LateRule.PER_DAY, percent=10):
    return policy.score(
        auto_score=auto, manual_adjustment=adjustment, submitted_at=DUE + hours_late * HOUR,
        due=DUE, late_rule=rule, percent_per_day=percent,
    )  # fmt: skip


def state_of(*, release_in=-48, due_in=-1, version=None, needs_manual=False, now=DUE):
    """The state with the release and due times ``release_in`` and ``due_in`` hours from ``now``."""
    return policy.state(
        release_at=now + release_in * HOUR, due=now + due_in * HOUR, counting=version,
        needs_manual=needs_manual, now=now,
    )  # fmt: skip


def visible(status=policy.GRADED, *, feedback=True, manual=False, cohort=False, resident=False):
    return policy.feedback_visible(
        status=status, has_feedback=feedback, feedback_policy="manual" if manual else "automatic",
        released_to_cohort=cohort, released_to_resident=resident,
    )  # fmt: skip


# Which version counts.


def test_no_versions_means_nothing_counts():
    """Does an assignment nobody handed in have no counting version under every rule?"""
    assert all(counting([], rule) is None for rule in LateRule)


@pytest.mark.parametrize("rule", [LateRule.ACCEPT, LateRule.PER_DAY])
def test_the_newest_version_counts_when_late_work_is_accepted(rule):
    """Under the accept and per-day rules, does a late resubmission replace an on-time one?"""
    on_time, late = at(-2), at(3)
    assert counting([on_time, late], rule) is late
    assert counting([at(-5), on_time], rule) is on_time


@pytest.mark.parametrize("rule", [LateRule.ZERO, LateRule.REFUSE])
def test_the_newest_on_time_version_counts_under_zero_and_refuse(rule):
    """Under the zero and refuse rules, does a late resubmission leave the last on-time one standing?"""
    first, second, late = at(-5), at(-1), at(2)
    assert counting([first, second, late], rule) is second
    assert counting([first], rule) is first


@pytest.mark.parametrize("rule", [LateRule.ZERO, LateRule.REFUSE])
def test_only_late_versions_mean_the_newest_late_one_counts(rule):
    """When nothing came in on time, does the newest late version count under zero and refuse?"""
    early_late, later_late = at(1), at(30)
    assert counting([early_late, later_late], rule) is later_late


@pytest.mark.parametrize("rule", list(LateRule))
def test_a_version_handed_in_at_the_due_second_is_on_time(rule):
    """Is a version handed in exactly at the due time on time?"""
    exactly, late = at(0), at(0.001)
    expected = late if rule in (LateRule.ACCEPT, LateRule.PER_DAY) else exactly
    assert counting([exactly, late], rule) is expected


def test_an_extension_can_make_a_late_version_count():
    """Under the zero rule, does an extension turn a late version into the one that counts?"""
    on_time, late = at(-1), at(5)
    extended = policy.due_time(due_at=DUE, extension_due_at=DUE + 6 * HOUR)
    assert counting([on_time, late], LateRule.ZERO) is on_time
    assert counting([on_time, late], LateRule.ZERO, due=extended) is late


@pytest.mark.parametrize("rule", [LateRule.ACCEPT, LateRule.PER_DAY])
def test_an_older_version_is_replaced_for_good_when_the_newest_always_counts(rule):
    """Under accept and per-day, is a version with a newer one after it never worth grading?"""
    assert policy.replaced_for_good(late_rule=rule, newer_versions=1)
    assert not policy.replaced_for_good(late_rule=rule, newer_versions=0)


@pytest.mark.parametrize("rule", [LateRule.ZERO, LateRule.REFUSE])
def test_an_older_version_may_count_again_under_zero_and_refuse(rule):
    """Under zero and refuse, can a due-time change bring an older version back, so it is graded?"""
    assert not policy.replaced_for_good(late_rule=rule, newer_versions=3)


# Due times and lateness.


def test_due_time_is_the_assignments_without_an_extension():
    """Without an extension, is a resident's due time the assignment's?"""
    assert policy.due_time(due_at=DUE, extension_due_at=None) == DUE


def test_due_time_is_the_extension_when_granted():
    """With an extension, is a resident's due time the extension's, even an earlier one?"""
    later, earlier = DUE + 48 * HOUR, DUE - HOUR
    assert policy.due_time(due_at=DUE, extension_due_at=later) == later
    assert policy.due_time(due_at=DUE, extension_due_at=earlier) == earlier


def test_only_late_hand_ins_under_refuse_are_refused():
    """Is a hand-in refused only when it is late and the rule is refuse?"""
    late, on_time = DUE + HOUR, DUE
    assert policy.refuses_late(late_rule=LateRule.REFUSE, submitted_at=late, due=DUE)
    assert not policy.refuses_late(late_rule=LateRule.REFUSE, submitted_at=on_time, due=DUE)
    for rule in (LateRule.ACCEPT, LateRule.PER_DAY, LateRule.ZERO):
        assert not policy.refuses_late(late_rule=rule, submitted_at=late, due=DUE)


def test_seconds_late_are_whole_rounded_up_and_never_negative():
    """Is early work zero seconds late, and late work counted in whole seconds, rounded up?"""
    assert policy.seconds_late(submitted_at=DUE - HOUR, due=DUE) == 0
    assert policy.seconds_late(submitted_at=DUE, due=DUE) == 0
    microsecond = datetime.timedelta(microseconds=1)
    assert policy.seconds_late(submitted_at=DUE + microsecond, due=DUE) == 1
    one_and_a_half = datetime.timedelta(milliseconds=1500)
    assert policy.seconds_late(submitted_at=DUE + one_and_a_half, due=DUE) == 2


def test_a_fraction_of_a_second_late_is_late_under_the_zero_rule():
    """Does a hand-in a microsecond after the due time cost every point under the zero rule?"""
    result = scored(auto=6.0, hours_late=1 / 3600e6, rule=LateRule.ZERO)
    assert (result.seconds_late, result.score) == (1, 0.0)


# The late penalty.


@pytest.mark.parametrize(
    ("seconds", "days"), [(1, 1), (DAY - 1, 1), (DAY, 1), (DAY + 1, 2), (3 * DAY, 3)]
)
def test_every_started_day_costs_the_percentage(seconds, days):
    """Does one second late cost a whole day, and a day and a second cost two?"""
    assert penalty(LateRule.PER_DAY, seconds, raw=10.0, percent=10) == pytest.approx(days * 1.0)


def test_the_per_day_penalty_is_capped_at_the_score():
    """Can lateness never take off more than the score itself?"""
    assert penalty(LateRule.PER_DAY, 5 * DAY, raw=8.0, percent=30) == 8.0
    assert penalty(LateRule.PER_DAY, 40 * DAY, raw=8.0, percent=100) == 8.0


def test_the_zero_rule_takes_the_whole_score():
    """Does any lateness under the zero rule cost every point?"""
    assert penalty(LateRule.ZERO, 1, raw=7.5) == 7.5


@pytest.mark.parametrize("rule", [LateRule.ACCEPT, LateRule.REFUSE])
def test_accept_and_refuse_take_nothing_off(rule):
    """Do the accept and refuse rules cost no points for a late version?"""
    assert penalty(rule, 10 * DAY) == 0.0


@pytest.mark.parametrize("rule", list(LateRule))
def test_on_time_work_costs_nothing(rule):
    """Is work zero seconds late free of any penalty under every rule?"""
    assert penalty(rule, 0) == 0.0


def test_a_zero_score_has_no_penalty():
    """Is nothing taken off a score of zero, however late?"""
    assert penalty(LateRule.ZERO, DAY, raw=0.0) == 0.0
    assert penalty(LateRule.PER_DAY, DAY, raw=0.0) == 0.0


def test_a_zero_percentage_takes_nothing_off():
    """Does a per-day rule of 0% cost nothing?"""
    assert penalty(LateRule.PER_DAY, 3 * DAY, percent=0) == 0.0


# The score after penalty and hand-given points.


def test_hand_given_points_add_to_the_automatic_ones():
    """Do points a grader gives by hand change the raw score before the late penalty?"""
    result = scored(auto=6.0, adjustment=2.0, hours_late=1, percent=25)
    assert (result.raw_score, result.late_penalty, result.score) == (8.0, 2.0, 6.0)
    assert result.seconds_late == 3600


def test_hand_taken_points_never_make_a_score_negative():
    """When graders take off more than the automatic points, is the score zero, not negative?"""
    result = scored(auto=2.0, adjustment=-5.0, hours_late=30)
    assert (result.raw_score, result.late_penalty, result.score) == (0.0, 0.0, 0.0)


def test_on_time_work_keeps_its_raw_score():
    """Is an on-time score its raw score, with no seconds late?"""
    result = scored(auto=7.0, hours_late=-2, rule=LateRule.ZERO)
    assert (result.score, result.seconds_late, result.late_penalty) == (7.0, 0, 0.0)


def test_late_work_under_zero_scores_zero():
    """Does late work under the zero rule score zero whatever was earned?"""
    assert scored(auto=9.0, adjustment=1.0, hours_late=0.5, rule=LateRule.ZERO).score == 0.0


# States and what counts.


def test_unreleased_work_is_not_released_whatever_was_handed_in():
    """Is an assignment released in the future 'not released', even with a version on record?"""
    assert state_of(release_in=1, due_in=48) == State.NOT_RELEASED
    assert state_of(release_in=1, due_in=48, version=at(0)) == State.NOT_RELEASED


def test_released_work_not_yet_due_and_not_handed_in_is_open():
    """Is released work with nothing handed in open until the due time, inclusive?"""
    assert state_of(due_in=2) == State.OPEN
    assert state_of(due_in=0) == State.OPEN


def test_work_past_due_with_nothing_handed_in_is_missing():
    """Is work past its due time with no version missing?"""
    assert state_of(due_in=-1) == State.MISSING


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (policy.QUEUED, State.GRADING),
        (policy.RUNNING, State.GRADING),
        (policy.SKIPPED, State.GRADING),
        (None, State.GRADING),
        (policy.FAILED, State.FAILED),
        (policy.GRADED, State.GRADED),
    ],
)
def test_a_handed_in_versions_grading_status_sets_the_state(status, expected):
    """Does the counting version's grading decide the state, whether or not it is past due?"""
    version = Version(submitted_at=DUE, status=status)
    assert state_of(due_in=-1, version=version) == expected
    assert state_of(due_in=5, version=version) == expected


def test_graded_work_waiting_for_a_human_needs_manual_grading():
    """Is graded work with a manual answer nobody has scored 'needs a human grader'?"""
    version = Version(submitted_at=DUE, status=policy.GRADED)
    assert state_of(version=version, needs_manual=True) == State.NEEDS_MANUAL
    failed = Version(submitted_at=DUE, status=policy.FAILED)
    assert state_of(version=failed, needs_manual=True) == State.FAILED


def test_a_cell_waiting_for_a_grader_makes_the_grading_wait():
    """Does one unscored manual cell make the whole grading wait for a grader?"""
    assert policy.needs_grader([Cell(False), Cell(True)])
    assert not policy.needs_grader([Cell(False)])
    assert not policy.needs_grader([])


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (State.GRADED, (7.0, 10.0)),
        (State.NEEDS_MANUAL, (7.0, 10.0)),
        (State.MISSING, (0.0, 10.0)),
        (State.OPEN, (0.0, 0.0)),
        (State.NOT_RELEASED, (0.0, 0.0)),
        (State.GRADING, (0.0, 0.0)),
        (State.FAILED, (0.0, 0.0)),
    ],
)
def test_what_each_state_adds_to_a_total(state, expected):
    """Do graded and missing work count, while open, unreleased, grading and failed work add nothing?"""
    assert policy.points(state=state, score=7.0, max_score=10.0) == expected


def test_graded_work_without_a_score_earns_nothing():
    """Does graded work with no score on record count as zero of its maximum?"""
    assert policy.points(state=State.GRADED, score=None, max_score=5.0) == (0.0, 5.0)


def test_every_state_has_a_label():
    """Does every state carry the words the pages show?"""
    assert State.MISSING.label == "Not submitted"
    assert all(state.label for state in State)


# Feedback.


def test_automatic_feedback_is_visible_once_graded_and_rendered():
    """Under the automatic policy, may a resident read rendered feedback of a graded version?"""
    assert visible()
    assert not visible(feedback=False)
    for status in (policy.QUEUED, policy.RUNNING, policy.FAILED, policy.SKIPPED, None):
        assert not visible(status)


def test_held_results_wait_for_a_release():
    """Are results seen at once under the automatic policy, and held ones only once released?"""

    def seen(policy_, cohort=False, resident=False):
        return policy.results_released(
            feedback_policy=policy_, released_to_cohort=cohort, released_to_resident=resident
        )

    assert seen("automatic")
    assert not seen("manual")
    assert seen("manual", cohort=True) and seen("manual", resident=True)


def test_held_feedback_waits_for_a_release():
    """Under the manual policy, is feedback hidden until released to the cohort or the resident?"""
    assert not visible(manual=True)
    assert visible(manual=True, cohort=True)
    assert visible(manual=True, resident=True)
    assert not visible(manual=True, cohort=True, feedback=False)
    assert not visible(policy.QUEUED, manual=True, resident=True)


# Weekly and running totals.


def test_weeks_outside_the_residency_fold_into_its_first_and_last():
    """Is work dated before week 1 counted in week 1, and after the last week in the last?"""
    totals = policy.week_totals(
        [(0, State.GRADED, 4.0, 5.0), (-3, State.MISSING, None, 5.0), (9, State.GRADED, 2.0, 4.0)],
        weeks=3,
    )
    assert [(w.number, w.earned, w.possible, w.count) for w in totals] == [
        (1, 4.0, 10.0, 2),
        (2, 0.0, 0.0, 0),
        (3, 2.0, 4.0, 1),
    ]


def test_a_week_of_open_work_has_no_percent():
    """Does a week with only open or grading work count its items but have no percentage?"""
    (week,) = policy.week_totals(
        [(1, State.OPEN, None, 5.0), (1, State.GRADING, None, 5.0)], weeks=1
    )
    assert (week.count, week.possible, week.percent) == (2, 0.0, None)


def test_running_percents_skip_weeks_with_nothing_counted():
    """Does the running total skip empty weeks and carry the earlier weeks' points forward?"""
    weeks = [
        WeekTotal(1),
        WeekTotal(2, earned=8, possible=10),
        WeekTotal(3),
        WeekTotal(4, earned=2, possible=10),
        WeekTotal(5),
    ]
    assert policy.running_percents(weeks) == [(1, 2, 80), (3, 4, 50)]


def test_running_percents_of_no_weeks_are_empty():
    """With no weeks at all, or none counted, is there no running total?"""
    assert policy.running_percents([]) == []
    assert policy.running_percents([WeekTotal(1), WeekTotal(2)]) == []


def test_percent_of_nothing_possible_is_none():
    """Is a percentage of zero possible points None rather than zero?"""
    assert policy.percent(0, 0) is None
    assert policy.percent(1, 3) == 33.3
    assert policy.percent(2, 3, digits=0) == 67


# Properties. No deadline: a busy CI machine can take longer than Hypothesis's default 200 ms
# for one example, and these examples are about values, not speed.

quick = settings(deadline=None)

late_rules = st.sampled_from(list(LateRule))
points_ = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)
offsets = st.integers(min_value=-10 * DAY, max_value=10 * DAY)
STATES = list(State)


@quick
@given(
    rule=late_rules,
    percent=st.integers(min_value=0, max_value=100),
    raw=points_,
    seconds=st.integers(min_value=0, max_value=60 * DAY),
)
def test_the_penalty_is_never_negative_nor_above_the_score(rule, percent, raw, seconds):
    """Whatever the rule, percentage, score and lateness, is the penalty between zero and the score?"""
    taken = penalty(rule, seconds, raw=raw, percent=percent)
    assert 0.0 <= taken <= raw
    if seconds == 0 or rule in (LateRule.ACCEPT, LateRule.REFUSE):
        assert taken == 0.0
    if seconds > 0 and rule == LateRule.ZERO:
        assert taken == raw


@quick
@given(
    percent=st.integers(min_value=0, max_value=100),
    raw=points_,
    seconds=st.integers(min_value=0, max_value=30 * DAY),
    more=st.integers(min_value=0, max_value=30 * DAY),
)
def test_being_later_never_costs_less(percent, raw, seconds, more):
    """Under the per-day rule, does handing in later never lower the penalty?"""
    sooner = penalty(LateRule.PER_DAY, seconds, raw=raw, percent=percent)
    later = penalty(LateRule.PER_DAY, seconds + more, raw=raw, percent=percent)
    assert sooner <= later


@quick
@given(
    rule=late_rules,
    percent=st.integers(min_value=0, max_value=100),
    auto=points_,
    adjustment=st.floats(min_value=-1000, max_value=1000, allow_nan=False),
    offset=offsets,
)
def test_a_score_is_its_raw_score_less_the_penalty(rule, percent, auto, adjustment, offset):
    """Is every score between zero and its raw score, and raw less penalty?"""
    result = policy.score(
        auto_score=auto, manual_adjustment=adjustment,
        submitted_at=DUE + datetime.timedelta(seconds=offset), due=DUE, late_rule=rule,
        percent_per_day=percent,
    )  # fmt: skip
    assert result.raw_score >= 0.0
    assert 0.0 <= result.score <= result.raw_score
    assert result.score == pytest.approx(result.raw_score - result.late_penalty)
    assert result.seconds_late == max(0, offset)
    assert (result.seconds_late > 0) == (DUE + datetime.timedelta(seconds=offset) > DUE)


@quick
@given(rule=late_rules, offsets=st.lists(offsets, min_size=1, max_size=6))
def test_the_counting_version_is_one_of_the_versions(rule, offsets):
    """Is the counting version always a handed-in one, and on time under zero and refuse when it can be?"""
    versions = [Version(submitted_at=DUE + datetime.timedelta(seconds=s)) for s in sorted(offsets)]
    chosen = counting(versions, rule)
    assert any(chosen is v for v in versions)
    on_time = [v for v in versions if v.submitted_at <= DUE]
    if rule in (LateRule.ZERO, LateRule.REFUSE) and on_time:
        assert chosen is on_time[-1]
    else:
        assert chosen is versions[-1]


@quick
@given(
    rule=late_rules,
    offsets=st.lists(offsets, min_size=2, max_size=6),
    dues=st.lists(offsets, min_size=1, max_size=4),
)
def test_a_version_replaced_for_good_never_counts_whatever_the_due_time(rule, offsets, dues):
    """Does a version called replaced for good stay out of the count under every due time?"""
    versions = [Version(submitted_at=DUE + datetime.timedelta(seconds=s)) for s in sorted(offsets)]
    for index, version in enumerate(versions):
        newer = len(versions) - index - 1
        if policy.replaced_for_good(late_rule=rule, newer_versions=newer):
            for due in dues:
                moved = DUE + datetime.timedelta(seconds=due)
                assert counting(versions, rule, due=moved) is not version


week_items = st.lists(
    st.tuples(
        st.integers(min_value=-3, max_value=20),
        st.sampled_from(STATES),
        st.one_of(st.none(), st.floats(min_value=0, max_value=10)),
        st.floats(min_value=10, max_value=20),
    ),
    max_size=12,
)


@quick
@given(items=week_items, weeks=st.integers(min_value=1, max_value=16))
def test_week_totals_lose_no_points_and_no_work(items, weeks):
    """Do the weekly totals add up to the points of every item, wherever its week falls?"""
    totals = policy.week_totals(items, weeks=weeks)
    assert [w.number for w in totals] == list(range(1, weeks + 1))
    assert sum(w.count for w in totals) == len(items)
    expected = [policy.points(state=s, score=sc, max_score=m) for _w, s, sc, m in items]
    assert sum(w.earned for w in totals) == pytest.approx(sum(e for e, _p in expected))
    assert sum(w.possible for w in totals) == pytest.approx(sum(p for _e, p in expected))


@quick
@given(items=week_items, weeks=st.integers(min_value=1, max_value=16))
def test_running_percents_stay_between_0_and_100(items, weeks):
    """Is every point of the running total a percentage, in week order, one per counted week?"""
    totals = policy.week_totals(items, weeks=weeks)
    running = policy.running_percents(totals)
    assert all(0 <= pct <= 100 for _i, _n, pct in running)
    assert [i for i, _n, _p in running] == sorted({i for i, _n, _p in running})
    assert len(running) == sum(1 for w in totals if w.possible)
    assert all(totals[i].number == number for i, number, _p in running)
