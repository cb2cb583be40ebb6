import contextlib
import json
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict
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


def chosen_language(request) -> str:
    """The language of the switch's cookie if it is one of ours, else Vietnamese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Vietnamese unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones in
    commune offices are set to English; the interface must still open in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


def _strings(data) -> Iterator[str]:
    """Every key and text value of parsed JSON, however deep."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


def _submitted_text(request) -> Iterator[str]:
    """The path, the query string's and the body's names and values (multipart bodies aside)."""
    yield request.path_info
    bodies = [request.GET]
    if request.method == "POST" and request.content_type != "multipart/form-data":
        bodies.append(request.POST)  # form posts
    # A multipart body is left to the view: reading it here would process the upload before a
    # view can put its own upload handler first (the import's, which stops keeping a too-large
    # file). Its text fields reach forms, whose CharField refuses NUL with a message of its own.
    elif request.content_type == "application/x-www-form-urlencoded":
        bodies.append(QueryDict(request.body))  # an API PUT or PATCH of a form
    for query in bodies:
        for key, values in query.lists():
            yield key
            yield from values
    if request.content_type == "application/json" or request.content_type.endswith("+json"):
        # Not JSON (or nested past Python's depth): the API's parser answers it as it does.
        with contextlib.suppress(ValueError, RecursionError):
            yield from _strings(json.loads(request.body))


class RefuseNulCharactersMiddleware:
    """A NUL character anywhere in what a request submits answers 400 before any view runs.

    PostgreSQL refuses NUL in text, so a filter such as ``?hamlet=%00`` that reaches a query
    raised a 500. Every text filter and form field of the pages and the API is covered here,
    at once, rather than in each form, filter set and serializer. It runs after the language
    and the user are known, so the 400 page speaks the user's language and keeps the menu.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in text for text in _submitted_text(request)):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)
