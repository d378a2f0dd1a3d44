from saferhub import capped_paginator
from saferhub.audit.models import AuditEvent
from saferhub.safeguarding import referrals
from saferhub.safeguarding.models import Person, Referral
from tests.safeguarding.cases import form_data, make_referral, victim

NEW = "/safeguarding/referrals/new/"


def test_an_agency_user_refers_a_victim_end_to_end(client, world):
    client.force_login(world.housing_officer)
    response = client.post(NEW, form_data(yes=15, police_incidents="3"))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/safeguarding/referrals/{referral.pk}/confirmation/"
    assert referral.referring_agency == world.housing and referral.marac_sector == "housing"
    assert referral.victim.given_name == "Zoë" and referral.perpetrators.count() == 1
    assert referral.dash_score == 15 and referral.status == "referred"
    assert referral.idva is None
    page = client.get(response["Location"]).content.decode()
    assert "Referral sent to MARAC" in page and "15 of 24" in page
    assert "Visible high risk" in page and "Potential escalation" in page
    event = AuditEvent.objects.get(verb="referral.created")
    assert event.target_id == str(referral.pk)
    assert "Zo" not in str(event.data) and "Safe Street" not in str(event.data)


def test_an_idva_referring_is_the_case_idva(client, world):
    client.force_login(world.idva)
    client.post(NEW, form_data())
    assert Referral.objects.get().idva == world.idva


def test_a_referral_meeting_no_criterion_tells_the_referrer_why(client, world):
    client.force_login(world.police_officer)
    response = client.post(NEW, form_data(yes=3), follow=True)
    text = response.content.decode()
    assert "not eligible for MARAC" in text and "scored 3" in text
    assert Referral.objects.get().status == "not_eligible"


def test_bad_input_keeps_what_was_typed_names_every_error_and_saves_nothing(client, world):
    client.force_login(world.police_officer)
    data = form_data(
        victim_consented="no", professional_judgement="yes", date_of_birth="31/02/1990"
    )
    del data["q7"]
    response = client.post(NEW, data)
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    for message in (
        "Answer question 7: yes, no or not known",
        "Choose the lawful basis for sharing without consent",
        "Enter why you are sharing without consent",
        "Enter the reasons for your professional judgement",
        "Enter the victim&#x27;s date of birth as a real date, like 27/3/1990",
    ):
        assert f">{message}</a>" in text  # named in the error summary
    # A question answered by radios links to its first option, which takes the focus.
    assert 'href="#id_q7_0">Answer question 7' in text and 'id="id_q7_0"' in text
    assert 'href="#id_lawful_basis' in text and 'href="#id_date_of_birth">' in text
    assert 'value="Smith-Jones"' in text and "31/02/1990" in text
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_sharing_without_consent_records_the_lawful_basis(client, world):
    client.force_login(world.police_officer)
    client.post(
        NEW,
        form_data(
            victim_consented="no", lawful_basis="vital_interests", sharing_reason="Threat to life"
        ),
    )
    referral = Referral.objects.get()
    assert referral.lawful_basis == "vital_interests" and referral.sharing_reason


def test_checking_for_existing_people_without_javascript_and_linking(client, world):
    person = victim(world)
    make_referral(world.police_officer, person)
    client.force_login(world.police_lead)
    response = client.post(NEW, {"given_name": "Zoe", "family_name": "Smith Jones", "check": "1"})
    text = response.content.decode()
    assert "There is a problem" not in text and "This is the same person" in text
    assert "--error" not in text
    client.post(NEW, form_data(person=str(person.pk)))
    assert Person.objects.count() == 1 and Referral.objects.count() == 2
    assert Referral.objects.first().victim == person


def test_linking_an_existing_person_keeps_what_the_referrer_knows_of_them(client, world):
    person = victim(world, dob=None)
    make_referral(world.police_officer, person)
    client.force_login(world.police_officer)
    client.post(
        NEW,
        form_data(
            person=str(person.pk),
            gender="not_known",  # not known now: what was held stays
            ethnicity="white_british",
            lgbt="no",
            disabled="yes",
            date_of_birth="03/04/1990",
            current_address="1 New Road, Leeds",
        ),
    )
    person.refresh_from_db()
    assert (person.gender, person.ethnicity, person.lgbt, person.disabled) == (
        "female",
        "white_british",
        "no",
        "yes",
    )
    assert str(person.date_of_birth) == "1990-04-03"
    assert person.current_address == "1 New Road, Leeds"
    event = AuditEvent.objects.filter(verb="referral.created").latest("id")
    assert event.data["person_fields_updated"] == [
        "ethnicity",
        "lgbt",
        "disabled",
        "date_of_birth",
        "current_address",
    ]
    # A different date of birth does not replace the one held: the person was chosen.
    client.post(NEW, form_data(person=str(person.pk), date_of_birth="04/03/1990"))
    person.refresh_from_db()
    assert str(person.date_of_birth) == "1990-04-03"


def test_a_person_the_user_cannot_see_cannot_be_linked(client, world):
    person = victim(world)
    make_referral(world.police_officer, person)
    client.force_login(world.housing_officer)
    response = client.post(NEW, form_data(person=str(person.pk)))
    assert "Choose a person from the list offered" in response.content.decode()
    assert Referral.objects.count() == 1


def test_board_members_and_analysts_never_see_cases(client, world):
    referral = make_referral(world.police_officer, victim(world))
    for user in (world.board_member, world.analyst):
        client.force_login(user)
        for url in (NEW, "/safeguarding/referrals/", f"/safeguarding/referrals/{referral.pk}/"):
            assert client.get(url).status_code == 403
        assert client.post(NEW, form_data()).status_code == 403


def test_outsiders_get_404_and_an_empty_list(client, world):
    referral = make_referral(world.police_officer, victim(world))
    for user in (world.outsider, world.housing_officer):
        client.force_login(user)
        assert client.get(f"/safeguarding/referrals/{referral.pk}/").status_code == 404
        assert client.get(f"/safeguarding/referrals/{referral.pk}/confirmation/").status_code == 404
        assert "Smith-Jones" not in client.get("/safeguarding/referrals/").content.decode()
    # Another partnership's administrator does no case work at all: refused outright.
    client.force_login(world.stranger)
    assert client.get(f"/safeguarding/referrals/{referral.pk}/").status_code == 403
    assert client.get("/safeguarding/referrals/").status_code == 403


def test_the_list_is_scoped_filtered_and_never_shows_an_address(client, world):
    make_referral(world.police_officer, victim(world), address="10 Safe Street")
    make_referral(world.housing_officer, victim(world, "Amy", "Brown"), yes=1)
    client.force_login(world.coordinator)
    text = client.get("/safeguarding/referrals/").content.decode()
    assert "Smith-Jones" in text and "Brown" in text and "Safe Street" not in text
    text = client.get("/safeguarding/referrals/?status=not_eligible").content.decode()
    assert "Brown" in text and "Smith-Jones" not in text
    client.force_login(world.police_lead)
    text = client.get("/safeguarding/referrals/").content.decode()
    assert "Smith-Jones" in text and "Brown" not in text


def test_the_address_shows_only_to_the_idva_coordinator_and_police_da(client, world):
    referral = make_referral(world.police_officer, victim(world), address="10 Safe Street")
    referrals.assign_idva(world.coordinator, referral, world.idva, referral.version)
    url = f"/safeguarding/referrals/{referral.pk}/"
    for user, shown in (
        (world.police_officer, True),  # police domestic abuse officer
        (world.coordinator, True),
        (world.idva, True),  # the case's IDVA
        (world.police_lead, False),  # same agency, not a DA role
    ):
        client.force_login(user)
        text = client.get(url).content.decode()
        assert ("10 Safe Street" in text) is shown, user
        assert ("Restricted" in text) is not shown


def test_viewing_a_case_is_audited_without_personal_data(client, world):
    referral = make_referral(world.police_officer, victim(world), address="10 Safe Street")
    client.force_login(world.coordinator)
    client.get(f"/safeguarding/referrals/{referral.pk}/")
    event = AuditEvent.objects.get(verb="referral.viewed")
    assert event.actor == world.coordinator and event.target_id == str(referral.pk)
    assert event.data == {"address_shown": True}


def test_the_navigation_shows_safeguarding_to_case_workers_only(client, world):
    client.force_login(world.police_officer)
    assert 'href="/safeguarding/referrals/"' in client.get("/").content.decode()
    client.force_login(world.board_member)
    assert 'href="/safeguarding/referrals/"' not in client.get("/").content.decode()


def test_the_list_pages_and_finds_by_reference_or_family_name(client, world):
    from saferhub.audit.models import AuditEvent

    cases = [
        make_referral(world.police_officer, victim(world, f"V{n}", "Long-List", None))
        for n in range(55)
    ]
    other = make_referral(world.police_officer, victim(world, "Ann", "O'Neill", None))
    client.force_login(world.police_officer)
    first = client.get("/safeguarding/referrals/").content.decode()
    assert "56 cases: 1 to 50 shown" in first and "Page 2 of 2" in first
    second = client.get("/safeguarding/referrals/?page=2").content.decode()
    assert cases[0].reference in second
    found = client.get("/safeguarding/referrals/", {"q": "oneill"}).content.decode()
    assert other.reference in found and cases[0].reference not in found
    by_reference = client.get("/safeguarding/referrals/", {"q": cases[3].reference.lower()})
    assert "1 case" in by_reference.content.decode()
    event = AuditEvent.objects.filter(verb="referral.searched").order_by("id").last()
    assert event.data == {"results": 1, "referrals": [cases[3].pk]}


def test_a_long_case_list_counts_only_so_far_and_says_so(client, world, monkeypatch):
    monkeypatch.setattr(capped_paginator, "CAP", 2)
    for given in ("Ann", "Bea", "Cat"):
        make_referral(world.police_officer, victim(world, given=given, family="Moss"))
    client.force_login(world.police_officer)
    text = client.get("/safeguarding/referrals/").content.decode()
    assert "More than 2 cases: the newest 2 are listed, 1 to 2 shown." in text
    assert text.count("Moss") == 2
    monkeypatch.setattr(capped_paginator, "CAP", 3)
    assert "3 cases." in client.get("/safeguarding/referrals/").content.decode()


def test_an_idva_finds_the_cases_where_they_are_the_idva(client, world):
    from saferhub.safeguarding import case_access

    theirs = make_referral(world.idva, victim(world))
    other = make_referral(world.idva, victim(world, given="Ruth", family="Other"))
    Referral.objects.filter(pk=other.pk).update(idva=None)  # as if another IDVA took it on
    case_access.refresh_case(other.pk)
    client.force_login(world.idva)
    everything = client.get("/safeguarding/referrals/").content.decode()
    assert theirs.reference in everything and other.reference in everything
    assert "Only cases where I am the IDVA" in everything
    mine = client.get("/safeguarding/referrals/", {"mine": "1"}).content.decode()
    assert theirs.reference in mine and other.reference not in mine
    home = client.get("/").content.decode()
    assert "1 case where you are the IDVA, to be heard" in home
    assert "/safeguarding/referrals/?mine=1&amp;status=referred" in home
    # Others have no such choice, and the parameter changes nothing for them.
    client.force_login(world.police_officer)
    page = client.get("/safeguarding/referrals/", {"mine": "1"}).content.decode()
    assert "Only cases where I am the IDVA" not in page


def test_an_idva_home_page_counts_open_plans_and_any_agencys_late_actions(client, world):
    from datetime import date, timedelta

    from tests.safeguarding.heard import hear

    case = make_referral(world.idva, victim(world), on=date.today() - timedelta(days=20))
    held_on = date.today() - timedelta(days=14)
    hear(world.coordinator, [case], held_on, actions=[(world.housing, held_on + timedelta(7))])
    case.refresh_from_db()
    assert case.status == Referral.Status.OPEN and case.idva == world.idva
    client.force_login(world.idva)
    home = client.get("/").content.decode()
    assert "1 open safety plan where you are the IDVA" in home
    assert "1 action in them overdue, by any agency." in home
    assert "/safeguarding/referrals/?mine=1&amp;status=open" in home
