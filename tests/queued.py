"""Run the tasks the code queued, the way the worker does (db_worker itself would close the test's
connection on PostgreSQL)."""


def run_queued_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    ran = 0
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()
        ran += 1
    return ran
