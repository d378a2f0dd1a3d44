"""Scope rules for safeguarding (see access.scope).

A user sees a case (a referral) only if their agency referred it, was invited to a
meeting that listed it, or owns one of its safety-plan actions; or they coordinate
MARAC for the partnership; or they are the IDVA assigned to it; or they opened it by
break-glass, with a reason, in the last few hours (breakglass.py). Everything else about
a case follows the case: its person, its actions and their updates. Meetings are seen by
the coordinator and the agencies invited. Research is seen by the agency that wrote it,
by the coordinator, and by the other invited agencies once the meeting is open.

The parts agencies and users have in cases are read from CaseAccess, kept in step with the
referrals, invitations, actions, IDVAs and break-glass grants by case_access.py.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from saferhub.access import scope
from saferhub.access.roles import Role
from saferhub.safeguarding.models import (
    CaseAccess,
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
    # Every part the user or their agency has in a case is a row of CaseAccess, kept in
    # step with its sources by case_access.py. One IN over one table, with no OR beside it,
    # lets PostgreSQL read the newest cases in order and look each up, stopping at a page.
    return mine & Q(pk__in=_grants(user).values("referral_id"))


def _grants(user):
    """The user's parts in cases: their agency's, and their own (as IDVA, or by break-glass
    until it runs out)."""
    return CaseAccess.objects.filter(
        Q(agency_id=user.agency_id) | Q(user_id=user.pk),
        Q(until__isnull=True) | Q(until__gt=timezone.now()),
    )


@scope.count_rule(Referral)
def _referral_count_rule(user) -> Q:
    """Figures (the SafeLives return, the annual report, measures) count the partnership's
    cases; the pages showing them ask can() first and show numbers only."""
    return Q(partnership_id=user.agency.partnership_id)


@scope.rule(Person)
def _person_rule(user) -> Q:
    """A person is visible when one of their referrals is: the referral rule above, asked
    through the person's own referrals (a correlated EXISTS), so the search at intake,
    looking at a handful of candidates among a million people, looks up only those. A test
    keeps the two forms in step (tests/safeguarding/test_scopes.py)."""
    mine = Q(partnership_id=user.agency.partnership_id)
    if _coordinates(user):
        return mine & Q(Exists(Referral.objects.filter(victim_id=OuterRef("pk"))))
    return mine & Q(Exists(_grants(user).filter(referral__victim_id=OuterRef("pk"))))


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
