import pytest
from django.core.management import CommandError, call_command

from saferhub.access.permissions import Action, can
from saferhub.partnership.models import User

ARGS = [
    "hana",
    "--partnership",
    "Safer Newtown",
    "--area",
    "Newtown",
    "--agency-code",
    "ncc-cs",
    "--agency-name",
    "Newtown Council Community Safety",
]


def test_it_creates_the_first_administrator_and_their_partnership(db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_NEW_PASSWORD", "a-long-enough-passphrase")
    call_command("create-admin", *ARGS)
    user = User.objects.get(username="hana")
    assert user.agency.partnership.name == "Safer Newtown"
    assert can(user, Action.ADMINISTER)
    assert user.check_password("a-long-enough-passphrase")


def test_it_refuses_a_weak_password_and_saves_nothing(db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_NEW_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("create-admin", *ARGS)
    assert not User.objects.exists()


def test_the_new_administrator_sets_up_an_app_at_their_first_sign_in(client, db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_NEW_PASSWORD", "a-long-enough-passphrase")
    call_command("create-admin", *ARGS)
    response = client.post(
        "/sign-in/", {"username": "hana", "password": "a-long-enough-passphrase"}
    )
    assert response["Location"] == "/sign-in/code/?next=/"
    assert client.get(response["Location"])["Location"] == "/sign-in/authenticator/?next=/"
    assert client.get("/admin/")["Location"].startswith("/sign-in/code/")
