"""What a case attachment may be, decided by its content, not its name.

A photo is a JPEG, PNG or WebP image that Pillow can read; a document or handover record is
such an image (a scanned page) or a PDF. The name's extension must agree with the content, so
a PDF called "anh.jpg" or a program renamed "anh.jpg" is refused before anything is stored.
"""

import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from frontwelfare.text import fold_diacritics

from .choices import PHOTO_KINDS

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# A phone photo is 12 to 50 megapixels. Far more in a file under 10 MB means a crafted image
# that would take the server's memory to decode (a "decompression bomb").
MAX_IMAGE_PIXELS = 100_000_000


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


def attachment_check(uploaded_file, *, kind: str) -> CheckedFile:
    """The type of ``uploaded_file`` if it may be attached as ``kind``; ValidationError with a
    message for the person otherwise. Reads the content; leaves the file at its start."""
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
    if kind in PHOTO_KINDS and not file_type.is_image:
        raise ValidationError(_("A photo must be a JPEG, PNG or WebP image."), code="not_a_photo")
    return CheckedFile(file_type=file_type, extension=extension, size=size)


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
                if file_type is None or image.width * image.height > MAX_IMAGE_PIXELS:
                    return None
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return None
    finally:
        uploaded_file.seek(0)
    return file_type


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
    photo's metadata (camera, time, place). Call only on a file attachment_check accepted;
    raises ValidationError if its pixels cannot be decoded."""
    from io import BytesIO

    from PIL import ImageOps

    uploaded_file.seek(0)
    try:
        with Image.open(uploaded_file) as image:
            # A JPEG is decoded at a fraction of its size straight away: less memory, less time.
            image.draft("RGB", THUMBNAIL_SIZE)
            small = ImageOps.exif_transpose(image)
            small.thumbnail(THUMBNAIL_SIZE)
            output = BytesIO()
            small.convert("RGB").save(output, format="JPEG", quality=80)
    except (OSError, SyntaxError, ValueError) as exc:
        # Whole headers over cut-off or damaged pixels pass attachment_check's look at the
        # headers; decoding them is what finds out.
        raise ValidationError(_("The image cannot be read: it may be damaged or only partly sent. Send it again."),
                              code="damaged") from exc
    finally:
        uploaded_file.seek(0)
    return output.getvalue()


def download_name(*, case_id: int, original_name: str, extension: str) -> str:
    """An ASCII name for the browser to save the file under: the case number and the
    uploader's name without diacritics or anything a file system might mind."""
    stem = slugify(fold_diacritics(PurePosixPath(original_name).stem))[:60] or "tep"
    return f"ho-so-nha-{case_id}-{stem}{extension}"
