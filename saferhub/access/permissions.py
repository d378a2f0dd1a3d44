"""What a role may do: one table, one question (`can`).

Which records a user may see is a different question, answered by access.scope.
A view usually asks both: `can(user, Action.X)` for the verb, then
`scope.visible(user, queryset)` for the nouns.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from saferhub.access.roles import Role


class Action(StrEnum):
    VIEW_PARTNERSHIP = "partnership.view"
    ADMINISTER = "partnership.administer"
    VIEW_STRATEGY = "strategy.view"
    EXPORT_MEASURES = "strategy.export"
    EDIT_STRATEGY = "strategy.edit"
    EDIT_MEASURES = "strategy.edit_measures"
    SUBMIT_RETURNS = "strategy.submit_returns"
    APPROVE_RETURNS = "strategy.approve_returns"
    MANAGE_ACTIONS = "strategy.manage_actions"
    UPDATE_OWN_ACTIONS = "strategy.update_own_actions"
    HOLD_TO_ACCOUNT = "strategy.hold_to_account"
    VIEW_REPORTS = "reports.view"
    WRITE_HIGHLIGHTS = "reports.write_highlights"
    CURATE_REPORT = "reports.curate"
    GENERATE_REPORTS = "reports.generate"
    REFER = "safeguarding.refer"
    VIEW_CASES = "safeguarding.view_cases"
    SEE_RESTRICTED_ADDRESS = "safeguarding.see_restricted_address"
    MANAGE_REFERRALS = "safeguarding.manage_referrals"
    MANAGE_MEETINGS = "safeguarding.manage_meetings"
    IMPORT_REFERRALS = "safeguarding.import_referrals"
    PRODUCE_MARAC_RETURN = "safeguarding.marac_return"
    BREAK_GLASS = "safeguarding.break_glass"
    REVIEW_BREAK_GLASS = "safeguarding.review_break_glass"
    SUBJECT_ACCESS = "governance.subject_access"
    ERASE = "governance.erase"
    VIEW_AUDIT_LOG = "audit.view_log"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Action.VIEW_PARTNERSHIP: "See the partner agencies, their teams and their leads",
    Action.ADMINISTER: "Set up the partnership: agencies, teams, users and their roles",
    Action.VIEW_STRATEGY: "Read the strategy, its dashboards, measures and actions",
    Action.EXPORT_MEASURES: "Export measure tables as CSV or Excel",
    Action.EDIT_STRATEGY: "Edit the strategy, its priorities, outcomes and alignment",
    Action.EDIT_MEASURES: "Set up measures and their targets",
    Action.SUBMIT_RETURNS: "Enter and submit your agency's quarterly returns",
    Action.APPROVE_RETURNS: "Approve partner returns or send them back",
    Action.MANAGE_ACTIONS: "Create and edit any agency's actions",
    Action.UPDATE_OWN_ACTIONS: "Update your agency's actions",
    Action.HOLD_TO_ACCOUNT: "See every agency's overdue actions and missing returns",
    Action.VIEW_REPORTS: "Read the annual progress report and the reports generated",
    Action.WRITE_HIGHLIGHTS: "Write progress highlights for the annual report (your agency's)",
    Action.CURATE_REPORT: "Choose which highlights go into the annual report",
    Action.GENERATE_REPORTS: "Generate the annual progress report as PDF, Word or a web page",
    Action.REFER: "Refer a victim of high-risk domestic abuse to MARAC",
    Action.VIEW_CASES: "See the domestic abuse cases your agency referred or works on",
    Action.SEE_RESTRICTED_ADDRESS: "See a victim's current address (restricted)",
    Action.MANAGE_REFERRALS: "Manage every referral of the partnership: assign IDVAs",
    Action.MANAGE_MEETINGS: "Run MARAC: set up meetings, draw up case lists, chair and record",
    Action.IMPORT_REFERRALS: "Import referral history from a spreadsheet",
    Action.PRODUCE_MARAC_RETURN: "Produce the SafeLives MARAC return (counts, no names)",
    Action.BREAK_GLASS: "Open a case outside your access in an emergency, giving a reason",
    Action.REVIEW_BREAK_GLASS: "Review every break-glass access to a case",
    Action.SUBJECT_ACCESS: "Produce everything held about a person for a subject access request",
    Action.ERASE: "Erase a person and everything about them as a victim, on request",
    Action.VIEW_AUDIT_LOG: "Search the audit log and see who has viewed a person's records",
}


_EVERYONE = frozenset(
    {Action.VIEW_PARTNERSHIP, Action.VIEW_STRATEGY, Action.EXPORT_MEASURES, Action.VIEW_REPORTS}
)
_CSP_TEAM = {
    Action.EDIT_MEASURES,
    Action.MANAGE_ACTIONS,
    Action.HOLD_TO_ACCOUNT,
    Action.WRITE_HIGHLIGHTS,
    Action.CURATE_REPORT,
    Action.GENERATE_REPORTS,
}

# Case work. Board members, CSP analysts and administrators see aggregate figures only,
# never a case record; so they neither refer (a referrer must see what they referred) nor
# view cases.
_CASE_WORK = {Action.REFER, Action.VIEW_CASES, Action.BREAK_GLASS}
_DA_SPECIALIST = _CASE_WORK | {Action.SEE_RESTRICTED_ADDRESS}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    # The administrator runs the partnership and its information governance but does no
    # case work: a case is seen by those working on it, not by whoever administers the
    # service (their agency may well be invited to meetings).
    Role.CSP_ADMIN: _EVERYONE
    | _CSP_TEAM
    | {Action.ADMINISTER, Action.EDIT_STRATEGY, Action.REVIEW_BREAK_GLASS}
    # Subject access and erasure reach every person of the partnership (governance/):
    # the CSP administrator's alone, each behind a second password check.
    | {Action.SUBJECT_ACCESS, Action.ERASE}
    # The audit log names who consulted whose records: its administrators' alone.
    | {Action.VIEW_AUDIT_LOG},
    Role.CSP_ANALYST: _EVERYONE | _CSP_TEAM | {Action.APPROVE_RETURNS, Action.PRODUCE_MARAC_RETURN},
    Role.AGENCY_LEAD: _EVERYONE
    | _CASE_WORK
    | {Action.SUBMIT_RETURNS, Action.UPDATE_OWN_ACTIONS, Action.WRITE_HIGHLIGHTS},
    Role.MARAC_COORDINATOR: _EVERYONE
    | _DA_SPECIALIST
    | {
        Action.MANAGE_REFERRALS,
        Action.MANAGE_MEETINGS,
        Action.IMPORT_REFERRALS,
        Action.PRODUCE_MARAC_RETURN,
        Action.REVIEW_BREAK_GLASS,
    },
    Role.IDVA: _EVERYONE | _DA_SPECIALIST,
    Role.AGENCY_REP: _EVERYONE | _CASE_WORK,
    Role.POLICE_DA: _EVERYONE | _DA_SPECIALIST,
    Role.BOARD_MEMBER: _EVERYONE | {Action.HOLD_TO_ACCOUNT},
}


def actions_for(user) -> frozenset[Action]:
    """Every action the user's roles allow; nothing for an inactive or anonymous user."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    allowed: set[Action] = set()
    for code in user.role_codes:
        allowed |= ROLE_ACTIONS[Role(code)]
    return frozenset(allowed)


def can(user, action: Action) -> bool:
    return action in actions_for(user)


def require(user, action: Action) -> None:
    """Raise PermissionDenied (403) unless the user may do the action."""
    if not can(user, action):
        raise PermissionDenied
