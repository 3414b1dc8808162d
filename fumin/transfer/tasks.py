from django_tasks import task


@task()
def run_import(job_id: int) -> str:
    """Check and apply one uploaded file; see ``services.import_job_run``."""
    from .services import import_job_run

    return import_job_run(job_id=job_id)
