from saferhub.audit.models import AuditEvent
from tests.world import PASSWORD


def test_it_signs_in_and_lands_on_home(client, world):
    response = client.post("/sign-in/", {"username": "owen_officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert b"Hello, Owen" in page.content
    assert b"OFFICIAL-SENSITIVE" in page.content
    assert AuditEvent.objects.filter(verb="user.signed_in", actor=world.police_officer).count() == 1


def test_it_issues_a_fresh_session_id_at_sign_in(client, world):
    client.get("/sign-in/")
    client.session.save()
    before = client.session.session_key
    client.post("/sign-in/", {"username": "owen_officer", "password": PASSWORD})
    assert client.session.session_key != before


def test_it_returns_to_the_page_asked_for(client, world):
    response = client.post(
        "/sign-in/?next=/partnership/",
        {"username": "owen_officer", "password": PASSWORD, "next": "/partnership/"},
    )
    assert response["Location"] == "/partnership/"


def test_it_refuses_to_redirect_off_site(client, world):
    response = client.post(
        "/sign-in/",
        {"username": "owen_officer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_with_a_clear_message_and_keeps_the_username(client, world):
    response = client.post("/sign-in/", {"username": "owen_officer", "password": "nope"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter a correct username and password" in response.content
    assert b'value="owen_officer"' in response.content
    assert b"<title>Error: Sign in" in response.content


def test_empty_fields_are_named(client, world):
    response = client.post("/sign-in/", {"username": "", "password": ""})
    assert b'href="#id_username">Enter your username' in response.content
    assert b'href="#id_password">Enter your password' in response.content


def test_a_disabled_user_cannot_sign_in(client, world):
    world.police_officer.is_active = False
    world.police_officer.save()
    response = client.post("/sign-in/", {"username": "owen_officer", "password": PASSWORD})
    assert response.status_code == 200


def test_sign_out_needs_a_post_and_ends_the_session(client, world):
    client.force_login(world.police_officer)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response["Location"] == "/sign-in/"
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert AuditEvent.objects.filter(verb="user.signed_out").count() == 1


def test_passwords_are_hashed_with_argon2_outside_the_tests():
    from saferhub import settings as saferhub_settings

    assert saferhub_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
