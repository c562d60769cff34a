"""No tables of its own: the hub integration uses django-oauth-toolkit's models."""
