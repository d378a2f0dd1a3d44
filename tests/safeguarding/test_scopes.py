"""The person rule (per person) and the referral rule (per referral) say the same thing:
a person is visible exactly when one of their referrals is."""

from datetime import date, timedelta

from saferhub.access import scope
from saferhub.safeguarding import breakglass, referrals, safety_plans
from saferhub.safeguarding.models import Person, Referral
from tests.safeguarding.cases import hold_meeting, make_referral, victim


def test_people_visible_are_the_victims_of_the_referrals_visible(world):
    police_case = make_referral(world.police_officer, victim(world))
    housing_case = make_referral(world.housing_officer, victim(world, "Ann", "Lee", None))
    heard = make_referral(world.police_officer, victim(world, "Bo", "Ng", date(1980, 2, 3)))
    owned = make_referral(world.police_officer, victim(world, "Cy", "Oak", date(1970, 3, 4)))
    glass = make_referral(world.police_officer, victim(world, "Di", "Elm", date(1975, 4, 5)))
    meeting = hold_meeting(world.coordinator, [heard, owned], [world.police, world.idva_service])
    safety_plans.agree(
        world.coordinator,
        meeting.listed_cases.get(referral=owned),
        agency=world.housing,
        officer=None,
        description="Locks",
        due_on=date.today() + timedelta(days=3),
    )
    breakglass.open_case(world.outsider, glass.reference, "Threats reported tonight, urgent")
    owned.refresh_from_db()
    referrals.assign_idva(world.coordinator, owned, world.idva, owned.version)
    for user in world.users_by_role().values():
        victims = set(
            scope.visible(user, Referral.objects.all()).values_list("victim_id", flat=True)
        )
        people = set(scope.visible(user, Person.objects.all()).values_list("pk", flat=True))
        assert people == victims, user.username
    assert {p.pk for p in scope.visible(world.outsider, Person.objects.all())} == {glass.victim_id}
    assert police_case.victim_id not in {
        p.pk for p in scope.visible(world.housing_officer, Person.objects.all())
    }
    assert housing_case.victim_id in {
        p.pk for p in scope.visible(world.housing_officer, Person.objects.all())
    }
