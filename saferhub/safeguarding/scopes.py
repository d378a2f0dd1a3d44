"""Scope rules for safeguarding (see access.scope).

A user sees a case (a referral) only if their agency referred it, was invited to a
meeting that listed it, or owns one of its safety-plan actions; or they coordinate
MARAC for the partnership; or they are the IDVA assigned to it; or they opened it by
break-glass, with a reason, in the last few hours (breakglass.py). Everything else about
a case follows the case: its person, its actions and their updates. Meetings are seen by
the coordinator and the agencies invited. Research is seen by the agency that wrote it,
by the coordinator, and by the other invited agencies once the meeting is open.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from saferhub.access import scope
from saferhub.access.roles import Role
from saferhub.safeguarding.models import (
    BreakGlassAccess,
    ListedCase,
    Meeting,
    Person,
    Referral,
    ReferralImport,
    Research,
    SafetyAction,
    SafetyActionUpdate,
)


def _coordinates(user) -> bool:
    return user.has_role(Role.MARAC_COORDINATOR)


@scope.rule(Referral)
def _referral_rule(user) -> Q:
    mine = Q(partnership_id=user.agency.partnership_id)
    if _coordinates(user):
        return mine
    # Uncorrelated IN (...) subqueries: each is worked out once per query (a few indexed
    # lookups by agency), not once per referral as EXISTS would be, which on SQLite took
    # seconds for an agency invited to most meetings.
    invited = ListedCase.objects.filter(
        meeting__in=Meeting.objects.filter(invited_agencies=user.agency_id).values("pk")
    ).values("referral_id")
    owns_action = SafetyAction.objects.filter(agency_id=user.agency_id).values("referral_id")
    broke_glass = BreakGlassAccess.objects.filter(
        user_id=user.pk, expires_at__gt=timezone.now()
    ).values("referral_id")
    return mine & (
        Q(referring_agency_id=user.agency_id)
        | Q(idva_id=user.pk)
        | Q(pk__in=invited)
        | Q(pk__in=owns_action)
        | Q(pk__in=broke_glass)
    )


@scope.count_rule(Referral)
def _referral_count_rule(user) -> Q:
    """Figures (the SafeLives return, the annual report, measures) count the partnership's
    cases; the pages showing them ask can() first and show numbers only."""
    return Q(partnership_id=user.agency.partnership_id)


@scope.rule(Person)
def _person_rule(user) -> Q:
    """A person is visible when one of their referrals is: the referral rule above, written
    per person (correlated EXISTS through the victim's own referrals). The search at intake
    looks at a handful of candidates among a million people; working out every visible
    referral first, as the IN form above does, took seconds there. A test keeps the two
    forms in step (tests/safeguarding/test_scopes.py)."""
    mine = Q(partnership_id=user.agency.partnership_id)
    theirs = Referral.objects.filter(victim_id=OuterRef("pk"))
    if _coordinates(user):
        return mine & Q(Exists(theirs))
    agency = user.agency_id
    return mine & (
        Q(Exists(theirs.filter(Q(referring_agency_id=agency) | Q(idva_id=user.pk))))
        | Q(
            Exists(
                ListedCase.objects.filter(
                    referral__victim_id=OuterRef("pk"), meeting__invited_agencies=agency
                )
            )
        )
        | Q(
            Exists(
                SafetyAction.objects.filter(referral__victim_id=OuterRef("pk"), agency_id=agency)
            )
        )
        | Q(
            Exists(
                BreakGlassAccess.objects.filter(
                    referral__victim_id=OuterRef("pk"),
                    user_id=user.pk,
                    expires_at__gt=timezone.now(),
                )
            )
        )
    )


@scope.rule(SafetyAction)
def _action_rule(user) -> Q:
    """The whole safety plan is seen by whoever sees the case (the IDVA included)."""
    return Q(referral__in=Referral.objects.filter(_referral_rule(user)))


@scope.rule(SafetyActionUpdate)
def _action_update_rule(user) -> Q:
    """An action's updates (its history) are seen by whoever sees the action."""
    return Q(action__in=SafetyAction.objects.filter(_action_rule(user)))


@scope.rule(Meeting)
def _meeting_rule(user) -> Q:
    mine = Q(partnership_id=user.agency.partnership_id)
    if _coordinates(user):
        return mine
    return mine & Q(pk__in=Meeting.objects.filter(invited_agencies=user.agency_id).values("pk"))


@scope.rule(ListedCase)
def _listed_case_rule(user) -> Q:
    return Q(meeting__in=Meeting.objects.filter(_meeting_rule(user)))


@scope.rule(Research)
def _research_rule(user) -> Q:
    listed = Q(listed_case__in=ListedCase.objects.filter(_listed_case_rule(user)))
    if _coordinates(user):
        return listed
    shared = Q(listed_case__meeting__status__in=[Meeting.Status.OPEN, Meeting.Status.CLOSED])
    return listed & (Q(agency_id=user.agency_id) | shared)


@scope.rule(ReferralImport)
def _referral_import_rule(user) -> Q:
    """Imports hold victims' details until they finish: the coordinators' alone."""
    if not _coordinates(user):
        return Q(pk__in=[])
    return Q(partnership_id=user.agency.partnership_id)
