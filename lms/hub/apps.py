from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class HubConfig(AppConfig):
    """The LMS's side of JupyterHub: the OAuth client, who may sign in, and revoking access."""

    name = "lms.hub"
    label = "hub"
    verbose_name = "JupyterHub"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model, user_logged_in

        from . import signals

        post_migrate.connect(signals.oauth_client_ensure_after_migrate, sender=self)
        post_save.connect(
            signals.revoke_access_when_deactivated,
            sender=get_user_model(),
            dispatch_uid="hub-revoke-deactivated",
        )
        user_logged_in.connect(
            signals.prestart_on_class_sign_in, dispatch_uid="hub-prestart-sign-in"
        )
