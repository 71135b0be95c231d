"""The task backend of the test suite: a task runs, in this process, when the transaction
that enqueued it commits, as it would with the database queue and a worker.

Enqueued outside a transaction it runs at once; inside one it waits for the commit (in a
pytest-django test: `django_capture_on_commit_callbacks(execute=True)`), and a rollback
drops it. So a test sees its mail only after the event committed, and a test of a rollback
sees none. The real queue (the database backend, its worker, retries) is tested in
tests/test_mail_queue.py and the two-node test.
"""

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id


class OnCommitBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=None,
            started_at=None, last_attempted_at=None, finished_at=None, args=args,
            kwargs=kwargs, backend=self.alias, errors=[], worker_ids=[],
        )
        transaction.on_commit(lambda: self._execute_task(result))
        return result
