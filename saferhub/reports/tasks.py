"""Background tasks of the reports app, run by `saferhub db_worker`."""

from django_tasks import task

from saferhub.reports import generation


@task()
def generate_report(report_id: int) -> None:
    generation.run(report_id)
