from django.db import transaction

from lms.cohorts.selectors import resident_in_class

from .services import (
    hub_oauth_client_ensure,
    hub_user_remove_task,
    notebook_server_prestart,
    oauth_tokens_revoke,
)


def oauth_client_ensure_after_migrate(sender, using="default", **kwargs) -> None:
    """Every ``migrate`` leaves the hub's OAuth client in step with the settings."""
    hub_oauth_client_ensure()


def revoke_access_when_deactivated(sender, instance, created=False, update_fields=None, **kwargs):
    """A deactivated account loses its tokens now and its hub server as soon as a worker runs."""
    if instance.is_active or created:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    if oauth_tokens_revoke(user=instance):
        transaction.on_commit(lambda: hub_user_remove_task.enqueue(instance.username))


def prestart_on_class_sign_in(sender, request, user, **kwargs) -> None:
    """A resident signing in during class hours will open a notebook soon: start their server."""
    if resident_in_class(user=user):
        notebook_server_prestart(user=user)
