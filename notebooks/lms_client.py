"""The exchange's HTTP client for the LMS, acting as the resident whose server this is.

The resident's LMS access token never sits in the server's environment: it is
kept encrypted in the hub's auth state and asked for, over the hub API, with
this server's own hub token, which the hub accepts for this user only.
"""

import os
import time
import uuid

import requests

TOKEN_MARGIN_SECONDS = 60


class ExchangeRefused(Exception):
    """The LMS said no, or could not be reached; the message is meant for the resident."""


class LMSUnreachable(ExchangeRefused):
    """The hub or the LMS did not answer (no connection, a timeout): worth trying again."""


class LMSRefused(ExchangeRefused):
    """The hub or the LMS answered with an error status; the message is their sentence for the resident."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status

    def __reduce__(self):
        return type(self), (self.status, str(self))


class LMSClient:
    def __init__(
        self,
        *,
        lms_url: str | None = None,
        access_token: str | None = None,
        hub_api_url: str | None = None,
        hub_api_token: str | None = None,
        timeout: float = 30,
    ):
        self.lms_url = (lms_url or os.environ.get("LMS_API_URL", "")).rstrip("/")
        if not self.lms_url:
            raise ExchangeRefused(
                "This notebook server does not know where the LMS is (LMS_API_URL)."
            )
        self._fixed_token = access_token or os.environ.get("LMS_ACCESS_TOKEN")
        self.hub_api_url = (hub_api_url or os.environ.get("JUPYTERHUB_API_URL", "")).rstrip("/")
        self.hub_api_token = hub_api_token or os.environ.get("JUPYTERHUB_API_TOKEN", "")
        self.timeout = timeout
        self.session = requests.Session()
        self._token: str | None = None
        self._token_expires_at = 0.0

    def access_token(self, *, renew: bool = False) -> str:
        if self._fixed_token:
            return self._fixed_token
        if (
            not renew
            and self._token
            and time.time() < self._token_expires_at - TOKEN_MARGIN_SECONDS
        ):
            return self._token
        if not self.hub_api_url:
            raise ExchangeRefused(
                "This notebook server was not started by the hub, so it cannot sign in to the LMS."
            )
        try:
            response = self.session.get(
                f"{self.hub_api_url}/lms/token",
                headers={"Authorization": f"token {self.hub_api_token}"},
                params={"renew": "1"} if renew else None,
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise LMSUnreachable(
                f"The hub could not be reached for your LMS sign-in: {error}"
            ) from None
        if response.status_code != 200:
            # JupyterHub's API errors are {"status": ..., "message": ...}.
            raise _refused(response, "The hub could not give your LMS sign-in", key="message")
        data = response.json()
        self._token = data["access_token"]
        self._token_expires_at = float(data.get("expires_at") or time.time() + 300)
        return self._token

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the LMS; on a 401 ask the hub for a fresh token once and try again."""
        extra_headers = kwargs.pop("headers", {})
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self.access_token(renew=attempt > 0)}"}
            headers.update(extra_headers)
            try:
                response = self.session.request(
                    method, f"{self.lms_url}{path}", headers=headers, timeout=self.timeout, **kwargs
                )
            except requests.RequestException as error:
                raise LMSUnreachable(f"The LMS could not be reached: {error}") from None
            if response.status_code != 401 or self._fixed_token:
                break
        if response.status_code >= 400:
            raise _refused(response, "The LMS refused the request")
        return response

    def assignments(self) -> dict:
        return self.request("GET", "/api/exchange/assignments").json()

    def release(self, name: str) -> bytes:
        return self.request("GET", f"/api/exchange/assignments/{name}/release").content

    def submit(self, name: str, archive: bytes, *, key: str | None = None) -> dict:
        """Upload a submission; the key makes a retry after a lost response store nothing twice."""
        key = key or uuid.uuid4().hex
        headers = {"Content-Type": "application/zip", "X-Submission-Key": key}
        for attempt in range(3):
            try:
                return self.request(
                    "POST",
                    f"/api/exchange/assignments/{name}/submissions",
                    data=archive,
                    headers=headers,
                ).json()
            except LMSUnreachable:
                # A refusal is final; only a lost connection is worth another try.
                if attempt == 2:
                    raise
                time.sleep(1 + attempt)
        raise AssertionError("unreachable")

    def feedback(self, name: str) -> dict:
        return self.request("GET", f"/api/exchange/assignments/{name}/feedback").json()


def _refused(response: requests.Response, fallback: str, *, key: str = "error") -> LMSRefused:
    """The refusal for an error response: its own sentence, else the fallback with the status."""
    try:
        message = response.json()[key]
    except (ValueError, KeyError, TypeError):
        message = f"{fallback} (HTTP {response.status_code})."
    return LMSRefused(response.status_code, message)
