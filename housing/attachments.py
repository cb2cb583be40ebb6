"""What a case attachment may be, decided by its content, not its name.

A photo is a JPEG, PNG or WebP image that Pillow can read; a document or handover record is
such an image (a scanned page) or a PDF. The name's extension must agree with the content, so
a PDF called "anh.jpg" or a program renamed "anh.jpg" is refused before anything is stored.

The request does only what takes milliseconds: it reads an image's headers (its size in pixels
is capped before any pixel is decoded), walks its segments to see it arrived whole, and stores
it without its metadata (EXIF, with the place the photo was taken, XMP, comments) by copying the
segments it keeps, byte for byte: no decoding, no loss. Decoding the pixels, for the thumbnail,
is a Celery task's (housing.tasks). A PDF that runs anything when opened (JavaScript, an action
on opening, a launch) is refused.
"""

import logging
import warnings
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject

from frontwelfare.queueing import send_or_else
from frontwelfare.text import fold_diacritics
from frontwelfare.validation import full_clean

from .choices import PHOTO_KINDS

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# A phone saves photos of 12 megapixels (its 48 and 50 megapixel sensors combine their pixels by
# four), a scanned A4 page at 300 dpi is 9. Far more in a file under 10 MB means a crafted image
# that would take the server's memory and seconds to decode; Pillow's own limit (89 megapixels,
# refused only past 179) is far too lenient for that. apps.py sets Pillow's to this too.
MAX_IMAGE_PIXELS = 40_000_000
# The objects of a PDF looked through for scripts: a scanned document has a few per page.
MAX_PDF_OBJECTS = 20_000


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


PDF = FileType("application/pdf", (".pdf",), "PDF")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
IMAGE_TYPES = {
    "JPEG": JPEG,
    # What many phones save: a JPEG with a second image inside (depth map, HDR gain map).
    "MPO": JPEG,
    "PNG": FileType("image/png", (".png",), "PNG"),
    "WEBP": FileType("image/webp", (".webp",), "WebP"),
}


@dataclass(frozen=True)
class CheckedFile:
    file_type: FileType
    extension: str
    size: int


def attachment_check(uploaded_file, *, kind: str, photo_kinds=PHOTO_KINDS) -> CheckedFile:
    """The type of ``uploaded_file`` if it may be attached as ``kind`` (an image only, when ``kind``
    is one of ``photo_kinds``: the housing ones by default, another app passes its own); a
    ValidationError with a message for the person otherwise. Reads the content; leaves the file at
    its start. The typical models' files are checked by it too (models_registry.services)."""
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("A file may be at most 10 MB; this one is %(size)s MB.") % {"size": number_format(size / 2**20, 1)},
            code="too_large",
        )
    file_type = _sniff(uploaded_file)
    if file_type is None:
        raise ValidationError(
            _("Only photos (JPEG, PNG or WebP) and PDF documents can be attached; this file is neither."),
            code="unsupported",
        )
    extension = PurePosixPath(uploaded_file.name or "").suffix.lower()
    if extension not in file_type.extensions:
        raise ValidationError(
            _("The file's name ends in “%(extension)s” but the file is a %(type)s. Choose the right file or "
              "give it the right name.") % {"extension": extension or _("(no extension)"), "type": file_type.label},
            code="extension_mismatch",
        )
    if kind in photo_kinds and not file_type.is_image:
        raise ValidationError(_("A photo must be a JPEG, PNG or WebP image."), code="not_a_photo")
    if file_type == PDF and _pdf_runs_something(uploaded_file):
        raise ValidationError(_("This PDF contains a script or an action that runs when it is opened, which a "
                                "document does not need. Print it to a new PDF (or scan the paper) and "
                                "attach that."), code="active_pdf")
    return CheckedFile(file_type=file_type, extension=extension, size=size)


def _too_many_pixels() -> ValidationError:
    return ValidationError(_("The image has more than %(limit)s million pixels, more than a photo or a scanned page "
                             "needs. Send a smaller one.") % {"limit": MAX_IMAGE_PIXELS // 1_000_000},
                           code="too_many_pixels")


def _damaged() -> ValidationError:
    return ValidationError(_("The image cannot be read: it may be damaged or only partly sent. Send it again."),
                           code="damaged")


def without_metadata(uploaded_file, checked: CheckedFile) -> bytes:
    """The file's content as it is to be stored: an image without its metadata (EXIF with the
    place the photo was taken, XMP, comments), the orientation the camera held it in kept; a
    PDF as it came. ValidationError("damaged") for an image that did not arrive whole."""
    uploaded_file.seek(0)
    content = uploaded_file.read()
    uploaded_file.seek(0)
    if not checked.file_type.is_image:
        return content
    stripped = {JPEG: _jpeg_without_metadata, IMAGE_TYPES["PNG"]: _png_without_metadata,
                IMAGE_TYPES["WEBP"]: _webp_without_metadata}[checked.file_type](content)
    if stripped is None:
        raise _damaged()
    return stripped


def _orientation(content: bytes) -> int | None:
    try:
        with Image.open(BytesIO(content)) as image:
            return image.getexif().get(0x0112)
    except (OSError, SyntaxError, ValueError):
        return None


def _jpeg_without_metadata(data: bytes) -> bytes | None:
    """The segments of a JPEG's first image with APP1 (EXIF, XMP), APP13 (IPTC), comments and the
    MPF index of a phone's second image left out, up to its end marker; None if it has none (a
    photo cut off). The orientation goes back in, alone, so that the photo still stands upright."""
    if data[:2] != b"\xff\xd8":
        return None
    kept, index, size = [], 2, len(data)
    while index + 1 < size:
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker == 0xD9:  # the end of the first image: a second one (MPO) is left out with it
            orientation = _orientation(data)
            head = [b"\xff\xd8"]
            if orientation and orientation != 1:
                exif = Image.Exif()
                exif[0x0112] = orientation
                payload = exif.tobytes()
                head.append(b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload)
            return b"".join([*head, *kept, b"\xff\xd9"])
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            kept.append(data[index:index + 2])
            index += 2
            continue
        if index + 4 > size:
            return None
        end = index + 2 + int.from_bytes(data[index + 2:index + 4], "big")
        if end > size:
            return None
        payload = data[index + 4:end]
        metadata = marker in (0xE1, 0xED, 0xFE) or (marker == 0xE2 and payload.startswith(b"MPF\x00"))
        if not metadata:
            kept.append(data[index:end])
        index = end
        if marker == 0xDA:  # the scan's coded data, up to the next marker that is not a restart or a stuffed 0xFF
            scan = index
            while True:
                scan = data.find(b"\xff", scan)
                if scan < 0 or scan + 1 >= size:
                    return None
                following = data[scan + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    scan += 2
                elif following == 0xFF:
                    scan += 1
                else:
                    break
            kept.append(data[index:scan])
            index = scan
    return None


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_METADATA = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


def _png_without_metadata(data: bytes) -> bytes | None:
    """The chunks of a PNG without its text and EXIF chunks, each chunk's checksum checked, up to
    its end chunk; None if it is cut off or damaged."""
    if not data.startswith(_PNG_SIGNATURE):
        return None
    kept, index = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while index + 12 <= len(data):
        length = int.from_bytes(data[index:index + 4], "big")
        kind, end = data[index + 4:index + 8], index + 12 + length
        if end > len(data) or zlib.crc32(data[index + 4:end - 4]) != int.from_bytes(data[end - 4:end], "big"):
            return None
        if kind not in _PNG_METADATA:
            kept.append(data[index:end])
        index = end
        if kind == b"IEND":
            return b"".join(kept)
    return None


def _webp_without_metadata(data: bytes) -> bytes | None:
    """The chunks of a WebP without its EXIF and XMP chunks (and their flags in the VP8X header);
    None if it is shorter than it says."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        return None
    kept, index = [], 12
    while index + 8 <= end:
        kind, length = data[index:index + 4], int.from_bytes(data[index + 4:index + 8], "little")
        chunk_end = index + 8 + length + (length & 1)
        if chunk_end > end:
            return None
        chunk = data[index:chunk_end]
        if kind == b"VP8X":
            chunk = chunk[:8] + bytes([chunk[8] & ~0x0C]) + chunk[9:]  # no EXIF (0x08) nor XMP (0x04) flag
        if kind not in (b"EXIF", b"XMP "):
            kept.append(chunk)
        index = chunk_end
    body = b"WEBP" + b"".join(kept)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _sniff(uploaded_file) -> FileType | None:
    uploaded_file.seek(0)
    head = uploaded_file.read(5)
    uploaded_file.seek(0)
    if head == b"%PDF-":
        return PDF if _is_pdf(uploaded_file) else None
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, above its own pixel limit; ours is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(uploaded_file) as image:
                file_type = IMAGE_TYPES.get(image.format or "")
                if file_type is None:
                    return None
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels()
                image.verify()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        uploaded_file.seek(0)
    return file_type


# What makes a PDF do something when it is opened or touched, wherever it sits in the file: a
# script (/JS, a /JavaScript name tree or action), a program or form sent away (/Launch,
# /SubmitForm, /ImportData), actions on events (/AA). An /OpenAction that is an action is refused;
# one that is only a page to open at (an array) is what many word processors write, and harmless.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute"}


def _pdf_runs_something(uploaded_file) -> bool:
    """Whether the PDF holds a script or an action, looking at every object of the file (names are
    read decoded, so "/J#53" is "/JS"). A file with too many objects to look through is refused too."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(uploaded_file, strict=False)
            root = reader.trailer["/Root"].get_object()
            if root.get("/OpenAction") is not None and not isinstance(root["/OpenAction"], ArrayObject):
                return True
            numbers = {number for objects in reader.xref.values() for number in objects}
            numbers |= set(getattr(reader, "xref_objStm", {}))
            if len(numbers) > MAX_PDF_OBJECTS:
                return True
            return any(_active(reader.get_object(number)) for number in numbers)
    except (PdfReadError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OSError):
        return True  # it opened as a PDF with pages; what cannot be looked through is not stored
    finally:
        uploaded_file.seek(0)


def _active(value, depth: int = 0) -> bool:
    """Whether a PDF object, or an object written inside it (not one it refers to: each object of
    the file is looked at on its own), is a script or an action."""
    if depth > 50:
        return True
    if isinstance(value, DictionaryObject):
        if _ACTIVE_KEYS & set(value) or value.get("/S") in _ACTIVE_ACTIONS:
            return True
        children = (value.raw_get(key) for key in value)
    elif isinstance(value, ArrayObject):
        children = iter(value)
    else:
        return False
    return any(_active(child, depth + 1) for child in children if isinstance(child, DictionaryObject | ArrayObject))


def _is_pdf(uploaded_file) -> bool:
    """Whether the file is a PDF that pypdf can read and that has at least one page: more than
    the five bytes of its header, which anything can start with."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return len(PdfReader(uploaded_file, strict=False).pages) > 0
    except (PdfReadError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OSError):
        return False
    finally:
        uploaded_file.seek(0)


THUMBNAIL_SIZE = (480, 480)


def thumbnail_of(uploaded_file) -> bytes:
    """A JPEG of at most 480 pixels a side, turned the way the camera held it, without the
    photo's metadata (camera, time, place). Decodes the pixels: for the thumbnail task, on a file
    attachment_check accepted; raises ValidationError if its pixels cannot be decoded."""
    from PIL import ImageOps

    uploaded_file.seek(0)
    try:
        with Image.open(uploaded_file) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:  # checked at upload; never decoded whole
                raise _damaged()
            # A JPEG is decoded at a fraction of its size straight away: less memory, less time.
            image.draft("RGB", THUMBNAIL_SIZE)
            small = ImageOps.exif_transpose(image)
            small.thumbnail(THUMBNAIL_SIZE)
            output = BytesIO()
            small.convert("RGB").save(output, format="JPEG", quality=80)
    except (OSError, SyntaxError, ValueError) as exc:
        # Whole headers over cut-off or damaged pixels pass attachment_check's look at the
        # headers; decoding them is what finds out.
        raise _damaged() from exc
    finally:
        uploaded_file.seek(0)
    return output.getvalue()


def download_name(*, case_id: int, original_name: str, extension: str, prefix: str = "ho-so-nha") -> str:
    """An ASCII name for the browser to save the file under: ``prefix`` and the record's number (a
    case's, or a typical model's with "mo-hinh") and the uploader's name without diacritics or
    anything a file system might mind."""
    stem = slugify(fold_diacritics(PurePosixPath(original_name).stem))[:60] or "tep"
    return f"{prefix}-{case_id}-{stem}{extension}"


def thumbnail_store(attachment_model, attachment_id: int) -> None:
    """Make the thumbnail of the stored photo ``attachment_id`` of ``attachment_model`` (a model with
    ``file``, ``thumbnail`` and ``is_image``: a case's or a typical model's attachment), the Celery
    tasks' work. A photo whose pixels cannot be decoded keeps no thumbnail; one that has one already
    (a task delivered twice) is left as is."""
    attachment = attachment_model.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.thumbnail or not attachment.is_image:
        return
    try:
        with attachment.file.open("rb") as stored:
            small = thumbnail_of(stored)
    except (ValidationError, OSError) as exc:
        logger.warning("no thumbnail for %s %s: %s", attachment_model.__name__, attachment_id, exc)
        return
    attachment.thumbnail.save("thumbnail.jpg", ContentFile(small), save=False)
    updated = attachment_model.objects.filter(pk=attachment_id, thumbnail="").update(
        thumbnail=attachment.thumbnail.name)
    if not updated:  # deleted, or given a thumbnail by another run meanwhile
        attachment.thumbnail.delete(save=False)


def attachment_store(attachment, uploaded_file, *, photo_kinds=PHOTO_KINDS, thumbnail_task=None):
    """Check ``uploaded_file`` as ``attachment.kind`` (attachment_check), put its content without
    metadata into ``attachment`` under a name the server makes, check and save the row — the stored
    file removed again if the row is not saved — and, for a photo, queue ``thumbnail_task`` (a Celery
    task taking the row's id) once the transaction commits. The one way a case's and a typical model's
    files are stored (housing.services, models_registry.services); the caller sets the row's owner,
    kind and uploader and has checked that the actor may attach it."""
    checked = attachment_check(uploaded_file, kind=attachment.kind, photo_kinds=photo_kinds)
    content = without_metadata(uploaded_file, checked)
    attachment.original_name = (uploaded_file.name or "")[-255:]
    attachment.content_type, attachment.size = checked.file_type.content_type, len(content)
    attachment.file.save(f"upload{checked.extension}", ContentFile(content), save=False)
    try:
        full_clean(attachment)
        attachment.save()
    except Exception:
        attachment.delete_files()
        raise
    if checked.file_type.is_image and thumbnail_task is not None:
        # Decoding the pixels takes the time and memory of the whole image: a worker's job. If the
        # queue cannot be reached, the page shows the photo itself and nothing else breaks.
        transaction.on_commit(lambda: send_or_else(
            thumbnail_task, (attachment.pk,), what=f"thumbnail of {type(attachment).__name__} {attachment.pk}",
            unreachable=lambda: None))
    return attachment
