"""How OAuth client secrets are stored: hashed, but without a password's deliberate slowness.

django-oauth-toolkit hashes client secrets with the password hasher, which
costs about 0.3 s of CPU per token request on purpose, to slow down guessing
of short human passwords. A client secret is 256 random bits: no guessing can
reach it, so one round of PBKDF2 keeps it unreadable at rest and lets every
sign-in and token refresh through the hub skip that wait.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ClientSecretHasher(PBKDF2PasswordHasher):
    algorithm = "client_secret_pbkdf2_sha256"
    iterations = 1
