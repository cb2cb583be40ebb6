"""The pieces every import's pages share: the upload bounded as it arrives, the problems set on
the preview's rows, the progress bar its page polls, and a file sent as a download; the upload
page (`ImportUploadMixin`, templates/imports/upload.html) and an import's page
(`ImportDetailMixin`, templates/imports/detail.html) with the hooks each kind of import fills in."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from frontwelfare.accounts.middleware import not_user_activity
from frontwelfare.submissions import made_once

from .choices import RUNNING, ImportStatus
from .reading import ImportFileError, max_bytes, max_rows, too_large

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportUploadHandler(FileUploadHandler):
    """Stops keeping an upload once it passes the import's size limit: a file of a gigabyte is
    not written to the server's disk to be refused afterwards. The rest of the request is read
    and dropped, so that the officer gets the page saying why (``request.import_too_large``: about
    the file's size). Put first in ``request.upload_handlers`` before the CSRF check reads the body."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_bytes():
            # The request's length, to say how large the file is: about the file's own size.
            self.request.import_too_large = max(self.request_length or 0, start + len(raw_data))
            raise StopUpload(connection_reset=False)
        return raw_data  # on to Django's own handlers, which keep it

    def file_complete(self, file_size):
        return None


def split_problems(problems: list[dict]) -> tuple[list[dict], list[dict]]:
    """(errors, warnings) of an import's problems."""
    return ([problem for problem in problems if problem.get("level") != "warning"],
            [problem for problem in problems if problem.get("level") == "warning"])


def with_problems(entries: list[dict], problems: list[dict]) -> list[dict]:
    """The preview's rows, each with its own problems (``problems``) and whether one is an error
    (``has_errors``), for `templates/imports/row_problems.html`."""
    by_row: dict[int, list[dict]] = {}
    for problem in problems or []:
        if problem.get("row"):
            by_row.setdefault(problem["row"], []).append(problem)
    return [{**entry, "problems": by_row.get(entry["row"], []),
             "has_errors": any(problem.get("level") != "warning" for problem in by_row.get(entry["row"], []))}
            for entry in entries]


def progress_response(request, queryset, pk: int, *, detail_url: str, template: str, context_name: str):
    """An import's progress bar, which its page polls while a worker checks or saves it (as a
    report's page does: see reports.pages.report_progress, whose reasons hold here). The view is
    open to visitors (login_not_required, so that an expired session answers htmx with a 401 and
    the way to sign in, not a login page swapped into the bar); ``queryset`` is read through
    ``visible_to``. Once the import is checked or saved, htmx reloads the whole page (HX-Refresh),
    which then shows the rows, the problems and the buttons."""
    is_htmx = request.headers.get("HX-Request") == "true"
    if not request.user.is_authenticated:
        if not is_htmx:
            return redirect_to_login(detail_url)
        response = HttpResponse(status=401)
        response["HX-Redirect"] = redirect_to_login(detail_url)["Location"]
        return response
    record = get_object_or_404(queryset.visible_to(request.user), pk=pk)
    response = render(request, template, {context_name: record})
    if is_htmx and record.status not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


def progress_view(model, *, detail_url_name: str, template: str, context_name: str):
    """The view of an import's progress bar (`progress_response`), for the import's urls.py: GET
    only, open to visitors (login_not_required) and not counted as the user's activity, its
    ``template`` given the import as ``context_name``."""

    @require_GET
    @login_not_required
    @not_user_activity
    def progress(request, pk):
        return progress_response(request, model.objects, pk, context_name=context_name, template=template,
                                 detail_url=reverse(detail_url_name, args=[pk]))

    return progress


def confirm_or_cancel(request, record, importer, *, say_how_it_ended: Callable) -> None:
    """The POST of an import's page: ``action`` confirm or cancel, through ``importer``'s service,
    then a message: the service's refusal, that the queue cannot be reached, or how it ended
    (``say_how_it_ended(request, record)``: with no Redis, in the quick start, the task has run).
    The caller has read ``record`` in scope and checked the user may import into it."""
    action = request.POST.get("action")
    step = {"confirm": importer.confirm, "cancel": importer.cancel}.get(action)
    if step is None:
        return
    try:
        record = step(actor=request.user, record=record)
    except importer.model.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    record.refresh_from_db()
    if action == "confirm" and record.status == ImportStatus.CHECKED:
        messages.error(request, _("The import service cannot be reached just now. Try again in a few minutes."))
    else:
        say_how_it_ended(request, record)


class BoundedUploadMixin:
    """For a page whose POST uploads a file to import: `ImportUploadHandler` goes in before the
    CSRF check reads the request's body (so the view is exempt, and checks CSRF itself once the
    handler is in place); the view then implements ``post_upload``."""

    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, ImportUploadHandler(request))
        return csrf_protect(self.post_upload)(request, *args, **kwargs)

    def post_upload(self, request, *args, **kwargs):
        raise NotImplementedError


def receive_upload(request, form, upload: Callable):
    """The import made of the form's file by ``upload(file)`` (an importer's upload, once per form:
    a second click leads to the same import), or None with the reason on the form's ``file``
    field: too large (`ImportUploadHandler` stopped it), missing, or refused by the upload's check."""
    too_large_size = getattr(request, "import_too_large", None)
    if too_large_size is not None:
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", too_large(too_large_size).message)
        return None
    if not form.is_valid():
        return None
    try:
        return made_once(request, lambda: upload(form.cleaned_data["file"]))
    except ImportFileError as exc:
        form.add_error("file", exc.message)
        return None


class ImportUploadMixin(BoundedUploadMixin):
    """The page to upload a file to import (templates/imports/upload.html): the form, its limits,
    the template to download. The view sets ``form_class``, ``template_url_name`` (the import's
    template), ``detail_url_name`` (an import's page, where an accepted upload leads) and
    ``refusal`` (why a POST from who may not import is refused), and implements ``can_import``
    and ``upload(file)`` (the importer's upload). It reads what the page is of (``self.object``
    or ``self.object_list``) before calling ``post_upload``."""

    form_class: type
    template_url_name = ""
    detail_url_name = ""
    refusal = ""

    def can_import(self) -> bool:
        raise NotImplementedError

    def upload(self, file):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_import=self.can_import(), form=kwargs.get("form") or self.form_class(),
            max_megabytes=max_bytes() // (1024 * 1024), max_rows=max_rows(),
            template_url=reverse(self.template_url_name), detail_url_name=self.detail_url_name,
        )
        return context

    def post_upload(self, request, *args, **kwargs):
        if not self.can_import():
            raise PermissionDenied(str(self.refusal))
        form = self.form_class(request.POST, request.FILES)
        record = receive_upload(request, form, self.upload)
        if record is not None:
            return redirect(self.detail_url_name, pk=record.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ImportDetailMixin:
    """An import's page (templates/imports/detail.html), for a DetailView of the import read in
    scope: its problems split into errors and warnings, the preview's rows with theirs, whether
    the viewer may confirm; its POST confirms or cancels (`confirm_or_cancel`), then the message
    of how it ended. The view sets ``importer``, ``preview_rows`` (how many rows a preview keeps),
    ``preview_total`` (the record's field counting what the preview is the first of),
    ``detail_url_name``, ``refusal`` (why a POST from who may not import is refused) and
    ``invalid_message`` (the records changed since the file was checked), and implements
    ``can_edit(record)``, ``preview(record)`` (the rows, through `with_problems`) and
    ``imported_message(record)``."""

    importer = None
    preview_rows = 0
    preview_total = "row_count"
    detail_url_name = ""
    refusal = ""
    invalid_message = ""

    def can_edit(self, record) -> bool:
        raise NotImplementedError

    def preview(self, record) -> list[dict]:
        raise NotImplementedError

    def imported_message(self, record) -> str:
        raise NotImplementedError

    @classmethod
    def progress_view(cls, template: str):
        """The view of this page's progress bar (`progress_view`), ``template`` given the import
        under the page's ``context_object_name``."""
        return progress_view(cls.model, detail_url_name=cls.detail_url_name, context_name=cls.context_object_name,
                             template=template)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        errors, warnings = split_problems(record.errors or [])
        can_edit = self.can_edit(record)
        preview = self.preview(record)
        context.update(
            record=record, title=record.original_name, errors=errors, warnings=warnings, preview=preview,
            preview_more=len(preview) == self.preview_rows and getattr(record, self.preview_total) > self.preview_rows,
            can_edit=can_edit, can_confirm=can_edit and record.status == ImportStatus.CHECKED,
            running=record.running,
        )
        return context

    def post(self, request, *args, **kwargs):
        record = self.get_object()  # out of scope: 404 before anything else
        if not self.can_edit(record):
            raise PermissionDenied(str(self.refusal))
        confirm_or_cancel(request, record, self.importer, say_how_it_ended=self.say_how_it_ended)
        return redirect(self.detail_url_name, pk=record.pk)

    def say_how_it_ended(self, request, record) -> None:
        if record.status == ImportStatus.IMPORTED:
            messages.success(request, self.imported_message(record))
        elif record.status == ImportStatus.INVALID:
            messages.error(request, str(self.invalid_message))
        elif record.status == ImportStatus.CANCELLED:
            messages.info(request, _("The import was cancelled and its file deleted."))
