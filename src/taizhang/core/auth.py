"""Login throttling that leaves request-less logins (scripts, the test client) to Django's own backend."""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with a request (the login page, the API).

    axes refuses calls without a request; those come only from code on the server (management
    commands, ``Client.login`` in tests), which no remote attacker can drive, so they pass on to
    ``ModelBackend`` unthrottled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
