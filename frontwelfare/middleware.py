from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class NoStoreForSignedInUsersMiddleware:
    """Pages seen while signed in may carry personal data: no browser or proxy may keep them.

    Shared office computers and phones are the norm; the back button after logout must not
    show a household's page from the cache. Token-authenticated API calls are covered too:
    DRF puts its user back on the request before the response comes through here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class ChosenLanguageMiddleware:
    """Vietnamese unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones in
    commune offices are set to English; the interface must still open in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
