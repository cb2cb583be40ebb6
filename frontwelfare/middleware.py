from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInUsersMiddleware:
    """Pages seen while signed in may carry personal data: no browser or proxy may keep them.

    Shared office computers and phones are the norm; the back button after logout must not
    show a household's page from the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
