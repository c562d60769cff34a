"""Background tasks: e-mail leaves the request, so a slow mail server never slows a page."""

from django_tasks import task

from .services import notification_send


@task(priority=0, queue_name="feedback")
def send_notification_task(notification_id: int) -> None:
    notification_send(notification_id=notification_id)
