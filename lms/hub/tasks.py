from django_tasks import task

from .services import hub_user_remove


@task(priority=20)
def hub_user_remove_task(username: str) -> bool:
    """Stop a deactivated resident's notebook server and forget their hub session."""
    return hub_user_remove(username=username)
