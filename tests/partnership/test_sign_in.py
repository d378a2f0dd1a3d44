from saferhub.audit.models import AuditEvent
from tests import mfa
from tests.world import PASSWORD


def _code(client, user, next_url="/"):
    return client.post(
        "/sign-in/code/", {"code": mfa.code(mfa.authenticator(user)), "next": next_url}
    )


def test_it_signs_in_with_the_password_then_a_code_and_lands_on_home(client, world):
    mfa.authenticator(world.police_officer)
    response = client.post("/sign-in/", {"username": "owen_officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/sign-in/code/?next=/"
    response = _code(client, world.police_officer)
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert b"Hello, Owen" in page.content
    assert b"OFFICIAL-SENSITIVE" in page.content
    assert AuditEvent.objects.filter(verb="user.signed_in", actor=world.police_officer).count() == 1
    passed = AuditEvent.objects.get(verb="user.second_step_passed")
    assert passed.actor == world.police_officer and passed.data == {"used": "authenticator"}


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
    assert response["Location"] == "/sign-in/code/?next=/partnership/"
    assert _code(client, world.police_officer, "/partnership/")["Location"] == "/partnership/"


def test_it_refuses_to_redirect_off_site(client, world):
    response = client.post(
        "/sign-in/",
        {"username": "owen_officer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/sign-in/code/?next=/"
    assert _code(client, world.police_officer, "https://evil.example/")["Location"] == "/"


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
    page = client.get("/sign-out/")
    assert page.status_code == 200 and b"Sign out of saferhub?" in page.content
    assert client.get("/").status_code == 200  # a GET alone signs nobody out
    response = client.post("/sign-out/")
    assert response["Location"] == "/sign-in/"
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert AuditEvent.objects.filter(verb="user.signed_out").count() == 1


def test_passwords_are_hashed_with_argon2_outside_the_tests():
    from saferhub import settings as saferhub_settings

    assert saferhub_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_user_changes_their_own_password(client, world):
    client.force_login(world.police_officer)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )
    assert response["Location"] == "/account/"
    world.police_officer.refresh_from_db()
    assert world.police_officer.check_password("a-brand-new-passphrase")
    assert client.get("/").status_code == 200  # still signed in
    assert AuditEvent.objects.filter(verb="user.password_changed").exists()


def test_a_wrong_current_password_is_named(client, world):
    client.force_login(world.police_officer)
    response = client.post(
        "/account/password/", {"old_password": "nope", "new_password1": "x", "new_password2": "y"}
    )
    assert b"There is a problem" in response.content
    assert b"#id_old_password" in response.content
