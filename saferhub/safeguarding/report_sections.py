"""The annual report's domestic abuse safety planning section (reports.sections).

The year's cases are those heard at a meeting in the report's year (as the SafeLives
return counts them), read through access.scope's count rule for the reader; from the
command line (no reader), the strategy's partnership's. By route: the kind of the first
meeting that heard each case, the daily meeting or the monthly MARAC.
"""

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from saferhub.access import scope
from saferhub.reports import sections
from saferhub.reports.content import Section
from saferhub.safeguarding.marac_return import cases_heard
from saferhub.safeguarding.models import ListedCase, Meeting, Referral

NOT_RECORDED = "Meeting not recorded"


def _first_route():
    """The kind of the first closed meeting that heard the case."""
    return Subquery(
        ListedCase.objects.filter(
            referral_id=OuterRef("pk"), heard=True, meeting__status=Meeting.Status.CLOSED
        )
        .order_by("meeting__held_on", "meeting_id")
        .values("meeting__kind")[:1]
    )


@sections.register("safeguarding.safety_planning", "Domestic abuse safety planning")
def safety_planning(context: sections.Context) -> Section | None:
    partnership_id = context.strategy.partnership_id
    referrals = (
        Referral.objects.filter(partnership_id=partnership_id)
        if context.user is None
        else scope.countable(context.user, Referral.objects.all())
    )
    cases = cases_heard(referrals, partnership_id, context.year_start, context.year_ending)
    totals = cases.aggregate(
        cases=Count("pk"),
        repeats=Count("pk", filter=Q(is_repeat=True)),
        children=Sum("children_in_household"),
    )
    if not totals["cases"]:
        return None
    by_kind = dict(
        cases.annotate(route=_first_route())
        .values("route")
        .annotate(count=Count("pk"))
        .values_list("route", "count")
    )
    by_route = [(label, by_kind[kind]) for kind, label in Meeting.Kind.choices if by_kind.get(kind)]
    if by_kind.get(None):
        by_route.append((NOT_RECORDED, by_kind[None]))
    return sections.safety_planning_section(
        context,
        cases=totals["cases"],
        repeats=totals["repeats"],
        children=totals["children"] or 0,
        by_route=by_route,
    )
