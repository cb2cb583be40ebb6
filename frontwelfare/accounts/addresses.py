from django.conf import settings


def client_address(request) -> str | None:
    """The address a request came from, for throttling and the sign-in log.

    Each of the TRUSTED_PROXY_COUNT proxies in front of the app appends the address it saw
    to X-Forwarded-For, so the client is that many entries from the right. Entries further
    left were written by the client itself and cannot be trusted. Without trusted proxies,
    REMOTE_ADDR is the client.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
