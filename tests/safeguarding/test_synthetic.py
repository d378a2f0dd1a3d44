"""Synthetic safeguarding data: the same for the same seed, and consistent with the rules the
services apply (repeats, hearings, case closure), at a scale small enough to be quick."""

import hashlib
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min

from saferhub.access import scope
from saferhub.partnership.demo import load_demo_partnership
from saferhub.partnership.models import Partnership, User
from saferhub.partnership.synthetic import Size, build_partnership
from saferhub.safeguarding import dash, people, repeats, safety_plans, synthetic
from saferhub.safeguarding.models import (
    DashAnswer,
    ListedCase,
    Meeting,
    Perpetrator,
    Person,
    Referral,
    Research,
    SafetyAction,
)

END = date(2025, 3, 31)
SMALL = Size(agencies=20, users=60)


def _generate(name: str, seed: int, referrals: int = 700, months: int = 14, **extra):
    partnership = build_partnership(name, "Testford", SMALL, seed=1)
    synthetic.generate(partnership, end=END, months=months, referrals=referrals, seed=seed, **extra)
    return partnership


@pytest.fixture
def generated(db) -> Partnership:
    return _generate("Safer Synthetic", seed=3)


def _digest(partnership: Partnership) -> str:
    """The partnership's people, referrals, meetings and actions, ids made relative."""
    referrals = Referral.objects.filter(partnership=partnership)
    first = referrals.aggregate(first=Min("id"))["first"]
    digest = hashlib.sha256()

    def add(rows) -> None:
        for row in rows:
            digest.update(repr(row).encode())

    add(
        Person.objects.filter(partnership=partnership)
        .order_by("id")
        .values_list("given_name", "family_name", "date_of_birth", "postcode", "ethnicity")
    )
    add(
        (victim, on, agency, score, status, repeat_of and repeat_of - first, heard, closed)
        for victim, on, agency, score, status, repeat_of, heard, closed in referrals.order_by(
            "id"
        ).values_list(
            "victim__family_name",
            "referred_on",
            "referring_agency__code",
            "dash_score",
            "status",
            "repeat_of_id",
            "heard_on",
            "closed_on",
        )
    )
    add(
        DashAnswer.objects.filter(referral__partnership=partnership)
        .order_by("id")
        .values_list("number", "answer")
    )
    add(
        ListedCase.objects.filter(meeting__partnership=partnership)
        .order_by("id")
        .values_list("meeting__kind", "meeting__held_on", "position", "why", "heard")
    )
    add(
        SafetyAction.objects.filter(referral__partnership=partnership)
        .order_by("id")
        .values_list("agency__code", "description", "due_on", "status", "completed_on")
    )
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_data(db):
    first = _digest(_generate("Safer One", seed=11, referrals=300, months=4))
    again = _digest(_generate("Safer Two", seed=11, referrals=300, months=4))
    other = _digest(_generate("Safer Three", seed=12, referrals=300, months=4))
    assert first == again
    assert other != first


def test_it_makes_the_rows_it_plans(generated):
    referrals = Referral.objects.filter(partnership=generated)
    assert referrals.count() == 700
    assert DashAnswer.objects.filter(referral__partnership=generated).count() == 700 * 24
    assert not referrals.annotate(n=Count("perpetrators")).filter(n=0).exists()
    assert Research.objects.filter(listed_case__meeting__partnership=generated).exists()
    assert referrals.filter(referred_on__gte=date(2024, 2, 1), referred_on__lte=END).count() == 700


def test_scores_and_criteria_are_what_the_checklist_says(generated):
    referrals = Referral.objects.filter(partnership=generated).prefetch_related("dash_answers")
    for referral in referrals:
        answers = {a.number: a.answer for a in referral.dash_answers.all()}
        assert sorted(answers) == list(range(1, 25))
        assert referral.dash_score == dash.score(answers)
        assert referral.visible_high_risk == (referral.dash_score >= 14)
        assert referral.potential_escalation == (referral.police_incidents >= 3)
        assert referral.professional_judgement == bool(referral.judgement_reason)
        eligible = referral.status != Referral.Status.NOT_ELIGIBLE
        assert eligible == bool(referral.reasons())
        assert bool(referral.why_not_eligible) == (not eligible)
        assert referral.victim_consented or referral.lawful_basis
    high = referrals.filter(dash_score__gte=14).count()
    assert 0.65 < high / 700 < 0.9  # most score 14 or more
    eligible_otherwise = referrals.filter(dash_score__lt=14).exclude(
        status=Referral.Status.NOT_ELIGIBLE
    )
    assert eligible_otherwise.filter(potential_escalation=True).exists()
    assert eligible_otherwise.filter(professional_judgement=True).exists()
    assert 0 < referrals.filter(status=Referral.Status.NOT_ELIGIBLE).count() < 70
    police = referrals.filter(marac_sector="police").count()
    assert 0.55 < police / 700 < 0.75


def test_repeats_are_what_intake_would_find(generated):
    referrals = list(
        Referral.objects.filter(partnership=generated)
        .select_related("victim")
        .prefetch_related("perpetrators")
    )
    for referral in referrals:
        earlier = repeats.earlier_referral(
            referral.victim, referral.perpetrators.all(), referral.referred_on, exclude=referral
        )
        assert referral.is_repeat == (earlier is not None)
        assert referral.repeat_of_id == (earlier.pk if earlier else None)
    heard = [r for r in referrals if r.heard_on]
    assert 0.2 < sum(r.is_repeat for r in heard) / len(heard) < 0.4  # SafeLives: about 30%


def test_every_heard_referral_was_heard_first_on_its_heard_date(generated):
    referrals = Referral.objects.filter(partnership=generated)
    first_heard = dict(
        ListedCase.objects.filter(referral__partnership=generated, heard=True)
        .values_list("referral_id")
        .annotate(first=Min("meeting__held_on"))
    )
    assert (
        not ListedCase.objects.filter(referral__partnership=generated)
        .exclude(meeting__status=Meeting.Status.CLOSED)
        .exists()
    )
    for pk, status, heard_on in referrals.values_list("id", "status", "heard_on"):
        assert first_heard.get(pk) == heard_on
        if heard_on is None:
            assert status in (Referral.Status.REFERRED, Referral.Status.NOT_ELIGIBLE)
        else:
            assert status in (Referral.Status.OPEN, Referral.Status.CLOSED)
    # The last few days' referrals are still to be heard: the coordinator has some to list.
    waiting = referrals.filter(status=Referral.Status.REFERRED)
    assert waiting.exists()
    assert waiting.aggregate(first=Min("referred_on"))["first"] >= date(2025, 3, 20)
    kinds = set(Meeting.objects.filter(partnership=generated).values_list("kind", flat=True))
    assert kinds == {Meeting.Kind.DAILY, Meeting.Kind.MONTHLY}
    daily_days = Meeting.objects.filter(partnership=generated, kind=Meeting.Kind.DAILY)
    assert all(day.weekday() < 5 for day in daily_days.values_list("held_on", flat=True))


def test_a_case_is_closed_exactly_when_nothing_along_its_chain_is_open(generated):
    referrals = list(
        Referral.objects.filter(partnership=generated).exclude(status=Referral.Status.NOT_ELIGIBLE)
    )
    sample = referrals[::4] + [r for r in referrals if r.is_repeat][:50]
    for referral in sample:
        chain = safety_plans._chain(referral)
        ids = [item.pk for item in chain]
        actions = SafetyAction.objects.filter(referral_id__in=ids)
        open_actions = actions.filter(status=SafetyAction.Status.OPEN).exists()
        waiting = any(item.status == Referral.Status.REFERRED for item in chain)
        if referral.status == Referral.Status.REFERRED:
            continue
        closed = referral.status == Referral.Status.CLOSED
        assert closed == (not open_actions and not waiting), referral
        if closed:
            assert referral.closed_on == actions.aggregate(last=Max("completed_on"))["last"]
        else:
            assert referral.closed_on is None


def test_actions_are_in_every_state(generated):
    actions = SafetyAction.objects.filter(referral__partnership=generated)
    counts = actions.values("referral").annotate(n=Count("id")).values_list("n", flat=True)
    assert set(counts) <= {2, 3, 4, 5, 6, 7, 8, 9, 10}  # 2 to 5 per hearing
    assert actions.filter(status=SafetyAction.Status.COMPLETE).count() > actions.count() / 2
    assert actions.filter(status=SafetyAction.Status.OPEN, due_on__gte=END).exists()
    assert actions.filter(status=SafetyAction.Status.OPEN, due_on__lt=END).exists()  # overdue
    for action in actions.select_related("agreed_at__meeting", "officer"):
        heard = action.agreed_at.meeting.held_on
        assert 14 <= (action.due_on - heard).days <= 56
        assert action.agreed_at.heard
        if action.officer:
            assert action.officer.agency_id == action.agency_id
        if action.status == SafetyAction.Status.COMPLETE:
            assert heard < action.completed_on <= END


def test_duplicate_people_are_there_for_matching_to_catch(generated):
    persons = Person.objects.filter(partnership=generated)
    same_family_and_dob = (
        persons.exclude(date_of_birth=None)
        .values("folded_family", "date_of_birth")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert same_family_and_dob.exists()
    # And people referred more than once on the same record.
    assert persons.annotate(n=Count("referrals")).filter(n__gt=1).exists()


def test_matching_keys_are_those_save_would_set(generated):
    for person in Person.objects.filter(partnership=generated)[:200]:
        keys = people.keys(person.given_name, person.family_name, person.postcode)
        assert (person.folded_given, person.folded_family) == (keys.given, keys.family)
        assert (person.given_sound, person.family_sound) == (keys.given_sound, keys.family_sound)
        assert person.postcode_district == keys.district
        assert person.postcode[:2] in ("LS", "WF", "BD")
        assert person.current_address
    for perpetrator in Perpetrator.objects.filter(referral__partnership=generated)[:200]:
        folded = people.fold(perpetrator.given_name) + people.fold(perpetrator.family_name)
        assert perpetrator.folded_name == folded


def test_people_are_topped_up_to_the_number_asked(db):
    partnership = _generate("Safer Many", seed=2, referrals=100, months=3, people_at_least=500)
    assert Person.objects.filter(partnership=partnership).count() == 500
    referred = Person.objects.filter(partnership=partnership, referrals__isnull=False).distinct()
    assert 40 < referred.count() < 100  # some referred more than once; the rest never


def test_new_records_made_afterwards_get_fresh_ids(generated):
    person = Person.objects.create(
        partnership=generated,
        given_name="New",
        family_name="Person",
        gender="female",
        ethnicity="not_known",
        lgbt="not_known",
        disabled="not_known",
    )
    assert person.pk > Person.objects.exclude(pk=person.pk).aggregate(top=Max("id"))["top"]


def test_the_demo_loads_its_casework_once(db, monkeypatch):
    monkeypatch.setattr(synthetic, "DEMO_MONTHS", 2)
    partnership = load_demo_partnership()
    assert synthetic.load_demo_cases(partnership, END) is True
    counts = (Referral.objects.count(), Person.objects.count(), SafetyAction.objects.count())
    assert counts[0] == 2 * synthetic.DEMO_REFERRALS_A_MONTH
    assert synthetic.load_demo_cases(partnership, END) is False
    assert (Referral.objects.count(), Person.objects.count(), SafetyAction.objects.count()) == (
        counts
    )
    # The demo's IDVA has cases, and sees them; the coordinator has cases to list.
    idva = User.objects.get(username="idva")
    assert scope.visible(idva, Referral.objects.filter(idva=idva)).exists()
    assert Referral.objects.filter(status=Referral.Status.REFERRED).exists()


def test_generate_makes_a_data_set_and_will_not_add_a_second(db, monkeypatch):
    monkeypatch.setitem(synthetic.SCALES, "demo", synthetic.Scale("demo", 2, 300))
    out = StringIO()
    call_command("generate", "--scale", "demo", "--seed", "4", "--end", "2025-03-31", stdout=out)
    assert "100%" in out.getvalue()
    assert Referral.objects.count() == 300
    with pytest.raises(CommandError, match="already has referrals"):
        call_command("generate", "--scale", "demo", "--seed", "4", stdout=StringIO())


def test_generate_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("generate", "--scale", "city", stdout=StringIO())
    assert not Partnership.objects.exists()
