"""Background work: a large zip or merged print renders on a task worker."""

from django_tasks import task

from jobledger.documents.services import document_job_run


@task()
def render_document_job(job_id: int) -> None:
    document_job_run(job_id)
