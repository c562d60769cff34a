from django.db import transaction

from .services import hub_oauth_client_ensure, oauth_tokens_revoke
from .tasks import hub_user_remove_task


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
