"""Base classes of every API viewset: the scope of the pages, applied to the API, and the one
place where what a service raises becomes a DRF answer."""

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, BadRequest, ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.settings import api_settings

from frontwelfare.submissions import KEY_HEADER, submit_once


class ScopedViewSetMixin:
    """`get_queryset` is `Model.objects.visible_to(request.user)`; out of scope is 404.
    (DRF marks its views login_not_required: the API answers 401/403 itself rather than
    redirecting to the login page.)
    """

    model = None

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        return self.prepare_queryset(queryset)

    def prepare_queryset(self, queryset):
        """Add select_related/annotations here; never widen the queryset."""
        return queryset


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


def api_errors(exc: DjangoValidationError) -> dict:
    """A Django ValidationError (from full_clean or a service) in DRF's error shape: field
    names as keys, and what concerns no one field under ``non_field_errors``."""
    detail = serializers.as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def api_exception(exc: Exception) -> Exception:
    """The DRF exception for what a service raised; anything else unchanged.

    ``DoesNotExist`` comes from the services' re-read under lock: the record left the caller's
    scope (or was deleted) since it was read, which answers 404 like any record out of scope.
    """
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(api_errors(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound()
    if isinstance(exc, BadRequest):
        return exceptions.ParseError(str(exc))
    return exc


class ServiceErrorsMixin:
    """Turns the services' Django exceptions into 400, 403 and 404, so a refused write is never a 500."""

    def handle_exception(self, exc):
        return super().handle_exception(api_exception(exc))


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def not_found(request, *args, **kwargs):
    """An /api/ URL that names no operation (an id that is not a number, a misspelt path): 404 in
    JSON, as the schema documents, rather than the site's HTML page; 401 without credentials."""
    raise exceptions.NotFound()


IDEMPOTENCY_KEY = OpenApiParameter(
    KEY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=_("Optional: a key of your own choosing (1 to 64 letters, digits, “-” or “_”; a UUID will do) for "
                  "this create. Sent again with the same key (a retry after a lost answer, or at the same moment), "
                  "the request makes nothing new and answers 200 with the record the first one made."),
)


def created_once(request, make: Callable[[], object], shown: Callable[[object, int], Response]) -> Response:
    """An API create made at most once per ``Idempotency-Key``: ``make()`` returns the record it
    made, or a Response when it made none (a 409); ``shown(record, status)`` answers with the
    record, 201 the first time and 200 (header ``Idempotent-Replayed: true``) on a repeat."""
    made, first = submit_once(request, make)
    if isinstance(made, Response):
        return made
    response = shown(made, status.HTTP_201_CREATED if first else status.HTTP_200_OK)
    if not first:
        response["Idempotent-Replayed"] = "true"
    return response


# DRF ships almost no Vietnamese: the messages of its fields that callers meet are in the project's
# catalogue, under DRF's own msgids (marked here for makemessages; DRF looks them up at run time,
# and LOCALE_PATHS comes before the packages' catalogues).
DRF_MESSAGES = (
    gettext_noop("This field may not be null."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("String value too large."),
    gettext_noop("Not a valid string."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop("Authentication credentials were not provided."),
)


# -- the error answers, in the schema ----------------------------------------------------------------------

def _error_schemas() -> dict:
    return {
        "ErrorDetail": {
            "type": "object",
            "description": gettext("Why the request was refused."),
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
        "ValidationErrors": {
            "type": "object",
            "description": gettext("The messages of each refused field (non_field_errors: of the request as a "
                                   "whole), or detail when the request could not be read."),
            "additionalProperties": {},
        },
    }


def document_error_answers(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors DRF and
    ServiceErrorsMixin answer, so that no operation has to repeat them:

    - 400 when it reads a body or filters (a value refused, as the parameters' schemas say);
    - 401 without credentials, 403 when the caller's role may not do it;
    - 404 when it names a record (out of scope answers 404 like missing) or a page of a list."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(_error_schemas())

    def answer(description, schema):
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation or any(p["in"] == "query" and p["name"] != "page" for p in parameters):
                responses.setdefault("400", answer(gettext("A value was refused."), "ValidationErrors"))
            responses.setdefault("401", answer(gettext("No valid credentials."), "ErrorDetail"))
            responses.setdefault("403", answer(gettext("Not allowed for the caller's role."), "ErrorDetail"))
            if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
                responses.setdefault("404", answer(
                    gettext("Not found, or outside the caller's units; or no such page."), "ErrorDetail"))
    return result
