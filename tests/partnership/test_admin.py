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
def test_everyone_else_is_sent_to_sign_in(client, world, name):
    client.force_login(getattr(world, name))
    response = client.get("/admin/partnership/user/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_superuser_flag_alone_does_not_open_the_admin(client, world):
    world.outsider.is_superuser = world.outsider.is_staff = True
    world.outsider.save()
    client.force_login(world.outsider)
    assert client.get("/admin/").status_code == 302


def test_the_admins_own_sign_in_form_is_replaced_by_saferhubs(client, db):
    response = client.get("/admin/login/?next=/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/")


def test_the_audit_log_is_read_only_in_the_admin(client, world):
    client.force_login(world.admin)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
