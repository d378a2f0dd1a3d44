from saferhub.home.attention import items_for


def test_administrators_are_told_of_agencies_without_a_lead(client, world):
    client.force_login(world.admin)
    page = client.get("/").content.decode()
    # Only the police have a lead in the test world.
    for name in (
        "Testford Council Community Safety",
        "Testford Homes",
        "Testford Allotments Society",
        "Testford IDVA Service",
    ):
        assert f"{name} has no agency lead" in page
    assert "Testford Police has no agency lead" not in page
    assert "Elsewhere Police" not in page


def test_the_item_goes_once_a_lead_is_named(world):
    from saferhub.access.roles import Role
    from saferhub.partnership.services import assign_roles

    assign_roles(world.housing_officer, [Role.AGENCY_REP, Role.AGENCY_LEAD])
    titles = [item.title for item in items_for(world.admin)]
    assert "Testford Homes has no agency lead" not in titles


def test_others_see_that_nothing_needs_their_attention(client, world):
    client.force_login(world.police_officer)
    page = client.get("/").content.decode()
    assert "Nothing needs your attention" in page
