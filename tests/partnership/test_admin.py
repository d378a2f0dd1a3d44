import pytest


def test_csp_administrators_reach_the_admin(client, world):
    client.force_login(world.admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Agencies" in response.content
    assert client.get("/admin/partnership/user/").status_code == 200


@pytest.mark.parametrize(
    "name", ["analyst", "police_lead", "coordinator", "idva", "board_member", "outsider"]
)
def test_everyone_else_is_refused_without_a_redirect_loop(client, world, name):
    client.force_login(getattr(world, name))
    response = client.get("/admin/partnership/user/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    assert b"You cannot do this" in response.content


def test_a_superuser_flag_alone_does_not_open_the_admin(client, world):
    world.outsider.is_superuser = world.outsider.is_staff = True
    world.outsider.save()
    client.force_login(world.outsider)
    assert client.get("/admin/", follow=True).status_code == 403


def test_the_admins_own_sign_in_form_is_replaced_by_saferhubs(client, db):
    response = client.get("/admin/login/?next=/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/")


def test_the_audit_log_is_read_only_in_the_admin(client, world):
    client.force_login(world.admin)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403


def test_a_user_cannot_be_put_in_another_agencys_team(world):
    from django.core.exceptions import ValidationError

    from saferhub.partnership.models import Team

    world.housing_officer.team = Team.objects.get(name="Domestic Abuse Team")
    with pytest.raises(ValidationError, match="own agency"):
        world.housing_officer.full_clean()


def test_djangos_groups_are_not_offered(client, world):
    client.force_login(world.admin)
    assert client.get("/admin/auth/group/").status_code == 404
