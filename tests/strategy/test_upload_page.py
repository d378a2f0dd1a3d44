"""The upload page: what it explains, who may use it, and how it reports a file's problems."""

from saferhub.strategy.models import MeasureValue
from tests.strategy.test_upload import HEADER, URL, _csv, _file, _load


def test_the_page_explains_the_columns_and_lists_the_users_measures(client, plan, world):
    client.force_login(world.police_lead)
    body = client.get(URL).content.decode()
    assert "Upload figures" in body and "2023/24-Q1" in body and "2023-04" in body
    assert "da-incidents" in body and "asb-reports" not in body
    client.force_login(world.analyst)
    assert "asb-reports" in client.get(URL).content.decode()


def test_the_page_is_for_returns_people_only(client, plan, world):
    client.force_login(world.police_officer)
    assert client.get(URL).status_code == 403
    client.force_login(world.stranger)
    assert client.get(URL).status_code == 403  # a CSP admin elsewhere: not a returns role
    client.force_login(world.analyst)
    assert client.get("/strategy/no-such-strategy/returns/upload/").status_code == 404


def test_posting_a_bad_file_lists_every_problem_and_a_good_one_says_what_it_saved(
    client, plan, world
):
    client.force_login(world.police_lead)
    bad = _csv("da-incidents,2023/24-Q1,police,abc,", "da-repeats,2023/24-Q1,police,-1,")
    response = client.post(URL, {"file": _file(bad)})
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Upload figures" in body
    assert "Row 2, column value: &#x27;abc&#x27; is not a number" in body
    assert "Row 3, column value: &#x27;-1&#x27; is below 0" in body
    assert not MeasureValue.objects.exists()
    good = _csv("da-incidents,2023/24-Q1,police,420,", "da-repeats,2023/24-Q1,police,126,")
    response = client.post(URL, {"file": _file(good)}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "2 figures saved, 0 unchanged" in response.content.decode()


def test_the_page_shows_the_first_200_problems_and_counts_the_rest(client, plan, world):
    client.force_login(world.police_lead)
    lines = [f"measure-{i},2023/24-Q1,police,1," for i in range(250)]
    body = client.post(URL, {"file": _file(_csv(*lines))}).content.decode()
    assert body.count("is not a measure of") == 200
    assert "and 50 more problems not shown" in body


def test_posting_no_file_or_a_50_mb_file_gets_a_clear_message(client, plan, world):
    client.force_login(world.police_lead)
    assert "Select a CSV or Excel file" in client.post(URL, {}).content.decode()
    huge = _file(b"a," * (25 * 1024 * 1024))
    response = client.post(URL, {"file": huge})
    assert response.status_code == 200
    assert "The file is too big: it is 50 MB" in response.content.decode()


def test_the_template_lists_the_figures_owed_with_those_entered(client, plan, world):
    _load(plan, world.police_lead, _csv("da-incidents,2023/24-Q1,police,420,=fine"))
    client.force_login(world.police_lead)
    response = client.get(URL + "template.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="figures-2022-25-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert "da-incidents,2023/24-Q1,police,420.00,'=fine" in lines
    assert "da-repeats,2023/24-Q1,police,," in lines
    assert not any("housing" in line for line in lines)
    # What was downloaded uploads again without changing anything.
    counts = _load(plan, world.police_lead, response.content)
    assert counts.changed == 0 and counts.unchanged == 1
