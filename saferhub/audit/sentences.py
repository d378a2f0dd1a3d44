"""Audit entries in words, for the pages that show them: one place, so each verb reads the
same wherever it appears. A verb without a sentence is shown as it is recorded."""

from saferhub.audit.models import AuditEvent

SENTENCES = {
    "referral.viewed": "Viewed the case",
    "referral.break_glass": "Opened the case by break-glass",
    "safety_action.viewed": "Viewed an action of the case's safety plan",
    "research.saved": "Saved their agency's research on the case",
    "person.searched": "Searched for a person: this person was in the results",
    "person.viewed": "Viewed the person's record",
    "person.viewers_viewed": "Viewed who has viewed this person",
    "subject_access.produced": "Produced a subject access copy of the person's records",
    "person.exported": "Exported the person's records",
    "referral.exported": "Exported the case",
    "referral.searched": "Searched the case list: a case of this person's was in the results",
    "referrals.exported": "Exported the case list, with a case of this person's in it",
    "audit.searched": "Searched the audit log",
    "user.signed_in": "Signed in with their password",
    "user.second_step_passed": "Completed signing in with a code",
    "user.authenticator_set_up": "Set up an authenticator app for signing in",
    "user.recovery_codes_made": "Got new recovery codes for signing in",
}


def sentence(event: AuditEvent) -> str:
    return SENTENCES.get(event.verb, event.verb)


def referral_id(event: AuditEvent) -> int | None:
    """The case an entry is about: its target, or the referral its data names."""
    if event.target_type == "safeguarding.referral" and event.target_id.isdigit():
        return int(event.target_id)
    named = event.data.get("referral") if isinstance(event.data, dict) else None
    return named if isinstance(named, int) else None


def case_reference(event: AuditEvent) -> str:
    """The case's reference as people quote it."""
    from saferhub.safeguarding.models import Referral

    pk = referral_id(event)
    return "" if pk is None else Referral(pk=pk).reference
