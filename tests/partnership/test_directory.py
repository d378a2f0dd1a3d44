def test_it_lists_the_partnerships_agencies_only(client, world):
    client.force_login(world.police_officer)
    page = client.get("/partnership/").content.decode()
    assert "Testford Allotments Society" in page and "Domestic Abuse Team" in page
    assert "Elsewhere Police" not in page


def test_an_agency_page_shows_colleagues_and_leads_only(client, world):
    client.force_login(world.housing_officer)
    page = client.get("/partnership/agencies/police/").content.decode()
    assert "Lena" in page  # the police lead: a published contact
    assert "Owen" not in page  # a police officer: not the housing officer's colleague


def test_the_csp_team_sees_everyone_at_an_agency(client, world):
    client.force_login(world.analyst)
    page = client.get("/partnership/agencies/police/").content.decode()
    assert "Lena" in page and "Owen" in page


def test_an_agency_of_another_partnership_is_not_found(client, world):
    client.force_login(world.stranger)
    assert client.get("/partnership/agencies/allotments/").status_code == 404
    assert b"Page not found" in client.get("/partnership/agencies/nothing-here/").content


def test_the_directory_runs_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        assert client.get("/partnership/").status_code == 200


def test_your_account_lists_roles_and_what_they_allow(client, world):
    client.force_login(world.admin)
    page = client.get("/account/").content.decode()
    assert "CSP administrator" in page
    assert "Set up the partnership" in page
    client.force_login(world.board_member)
    page = client.get("/account/").content.decode()
    assert "Board member (read only)" in page and "Set up the partnership" not in page
