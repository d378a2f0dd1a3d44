"""Background tasks of the safeguarding app, run by `saferhub db_worker`."""

from django_tasks import task

from saferhub.safeguarding import import_jobs


@task()
def import_referral_history(import_id: int) -> None:
    import_jobs.run(import_id)
