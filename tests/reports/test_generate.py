"""Generating the annual report: the page, the task and its progress, the download, the command."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from saferhub.audit.models import AuditEvent
from saferhub.reports import generation
from saferhub.reports.models import GeneratedReport

YEAR_END = date(2024, 3, 31)


def _ask(client, plan, **extra):
    data = {"strategy": plan.strategy.id, "year_ending": "31/03/2024", "format": "pdf", **extra}
    return client.post("/reports/", data)


def test_an_analyst_asks_for_a_report_and_the_worker_makes_it(
    client, world, plan, django_capture_on_commit_callbacks
):
    client.force_login(world.analyst)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _ask(client, plan)
    generated = GeneratedReport.objects.get()
    assert response["Location"] == f"/reports/generated/{generated.id}/"
    assert generated.status == "queued" and len(callbacks) == 1  # enqueued once committed

    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Waiting for the report worker" in page

    generation.run(generated.id)
    generated.refresh_from_db()
    assert generated.status == "done" and generated.progress == 100
    fragment = client.get(f"/reports/generated/{generated.id}/progress/").content.decode()
    assert "Your report is ready" in fragment and "hx-trigger" not in fragment  # polling stops

    download = client.get(f"/reports/generated/{generated.id}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert 'filename="annual-report-2022-25-2024-03-31.pdf"' in download["Content-Disposition"]
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"report.requested", "report.downloaded"} <= verbs


@pytest.mark.parametrize("fmt, start", [("docx", b"PK"), ("html", b"<!DOCTYPE html>")])
def test_every_format_is_made(world, plan, fmt, start):
    generated = generation.request(world.analyst, plan.strategy, YEAR_END, fmt)
    generation.run(generated.id)
    generated.refresh_from_db()
    assert generated.status == "done", generated.error
    assert bytes(generated.content).lstrip().startswith(start)


def test_a_year_outside_the_strategy_is_refused_on_the_form(client, world, plan):
    client.force_login(world.analyst)
    response = _ask(client, plan, year_ending="31/03/2030")
    assert response.status_code == 200 and b"There is a problem" in response.content
    assert b'value="31/03/2030"' in response.content
    assert not GeneratedReport.objects.exists()


def test_a_failure_is_shown_not_hidden(world, plan, monkeypatch):
    generated = generation.request(world.analyst, plan.strategy, YEAR_END, "pdf")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(generation, "render", broken)
    with pytest.raises(RuntimeError):
        generation.run(generated.id)
    generated.refresh_from_db()
    assert generated.status == "failed" and "disk full" not in generated.error
    assert "Something went wrong" in generated.error


def test_the_board_reads_reports_but_cannot_generate(client, world, plan):
    generated = generation.request(world.analyst, plan.strategy, YEAR_END, "html")
    generation.run(generated.id)
    client.force_login(world.board_member)
    page = client.get("/reports/").content.decode()
    assert "Generate a report" not in page and "year to 31 March 2024" in page
    assert _ask(client, plan).status_code == 403
    assert client.get(f"/reports/generated/{generated.id}/download/").status_code == 200
    client.force_login(world.stranger)
    assert client.get(f"/reports/generated/{generated.id}/").status_code == 404
    assert client.get(f"/reports/generated/{generated.id}/download/").status_code == 404


def test_the_real_worker_runs_the_task(transactional_db, world, plan):
    generated = generation.request(world.analyst, plan.strategy, YEAR_END, "html")
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    generated.refresh_from_db()
    assert generated.status == "done", generated.error


def test_the_command_writes_the_report(world, plan, tmp_path):
    out = tmp_path / "report.pdf"
    call_command(
        "report",
        "annual",
        "--strategy",
        "2022-25",
        "--year-ending",
        "2024-03-31",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--strategy", "nope", "--year-ending", "2024-03-31"], "No single strategy"),
        (["--strategy", "2022-25", "--year-ending", "31/03/2024"], "is not a date"),
        (["--strategy", "2022-25", "--year-ending", "2030-03-31"], "2030"),
    ],
)
def test_the_command_explains_bad_input(world, plan, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", "annual", *args, "--out", str(tmp_path / "r.pdf"))


def test_the_command_takes_the_format_from_the_file_name_and_checks_the_folder(
    world, plan, tmp_path
):
    out = tmp_path / "report.docx"
    call_command(
        "report",
        "annual",
        "--strategy",
        "2022-25",
        "--year-ending",
        "2024-03-31",
        "--out",
        str(out),
    )
    assert out.read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="ends in .pdf but --format is docx"):
        call_command(
            "report",
            "annual",
            "--strategy",
            "2022-25",
            "--year-ending",
            "2024-03-31",
            "--format",
            "docx",
            "--out",
            str(tmp_path / "x.pdf"),
        )
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "report",
            "annual",
            "--strategy",
            "2022-25",
            "--year-ending",
            "2024-03-31",
            "--out",
            str(tmp_path / "missing" / "x.pdf"),
        )


def test_the_form_starts_from_the_report_the_user_came_from(client, world, plan):
    client.force_login(world.analyst)
    page = client.get(f"/reports/?strategy={plan.strategy.id}&year_ending=2024-03-31")
    assert b'value="31/03/2024"' in page.content
