from datetime import date, timedelta

from saferhub.safeguarding import dash
from saferhub.safeguarding.models import Referral
from saferhub.safeguarding.referrals import settings_for
from tests.safeguarding.cases import make_referral, victim


def _answers(yes: int, not_known: int = 0) -> dict[int, str]:
    return {
        n: dash.YES if n <= yes else dash.NOT_KNOWN if n <= yes + not_known else dash.NO
        for n in range(1, 25)
    }


def test_the_checklist_is_24_questions():
    assert len(dash.QUESTIONS) == 24


def test_the_score_counts_yes_only():
    assert dash.score(_answers(13, not_known=5)) == 13


def test_reasons_follow_the_thresholds():
    defaults = dash.Thresholds()
    high = dash.assess(
        _answers(14),
        police_incidents=3,
        professional_judgement=True,
        is_repeat=True,
        thresholds=defaults,
    )
    assert high.reasons == (
        dash.VISIBLE_HIGH_RISK,
        dash.POTENTIAL_ESCALATION,
        dash.PROFESSIONAL_JUDGEMENT,
        dash.REPEAT,
    )
    low = dash.assess(
        _answers(13),
        police_incidents=2,
        professional_judgement=False,
        is_repeat=False,
        thresholds=defaults,
    )
    assert not low.eligible and "scored 13" in low.why_not
    stricter = dash.assess(
        _answers(14),
        police_incidents=4,
        professional_judgement=False,
        is_repeat=False,
        thresholds=dash.Thresholds(high_risk_score=15, escalation_incidents=5),
    )
    assert not stricter.eligible


def test_area_settings_change_the_outcome_and_the_reassessment_date(world):
    area = settings_for(world.partnership)
    area.high_risk_score, area.reassessment_weeks = 10, 6
    area.save()
    referral = make_referral(world.police_officer, victim(world), yes=10)
    assert referral.status == Referral.Status.REFERRED and referral.visible_high_risk
    assert referral.reassessment_due == date.today() + timedelta(weeks=6)


def test_a_referral_meeting_no_criterion_is_recorded_not_eligible(world):
    referral = make_referral(world.police_officer, victim(world), yes=5, incidents=1)
    assert referral.status == Referral.Status.NOT_ELIGIBLE
    assert referral.dash_score == 5 and referral.reasons() == []
    assert "below" in referral.why_not_eligible
    assert referral.reassessment_due == date.today() + timedelta(weeks=8)
    assert referral.dash_answers.count() == 24
