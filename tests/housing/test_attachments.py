"""Attachments are judged by their content: what may be attached, and what is stored."""

import time
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from housing import services
from housing.attachments import MAX_ATTACHMENT_BYTES, download_name
from housing.choices import AttachmentKind, CaseState
from housing.models import CaseAttachment
from housing.tasks import attachment_thumbnail_task

from .factories import TINY_PDF, TINY_PNG, CaseAttachmentFactory, HousingCaseFactory, case_in_state, tiny_image

# The first bytes of a Windows program and of a Linux one.
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


@pytest.fixture
def case(world):
    return HousingCaseFactory(household__commune=world.commune, programme__unit=world.district)


def _attach(world, case, name, content, kind=AttachmentKind.PHOTO_BEFORE):
    return services.attachment_add(actor=world.commune_officer, case=case, kind=kind,
                                   uploaded_file=SimpleUploadedFile(name, content))


def _nothing_stored(settings) -> bool:
    media = settings.MEDIA_ROOT
    return not CaseAttachment.objects.exists() and (not media.exists()
                                                    or not any(p.is_file() for p in media.rglob("*")))


@pytest.mark.parametrize(("name", "image_format", "content_type"), [
    ("nha-truoc.jpg", "JPEG", "image/jpeg"), ("NHA.JPEG", "JPEG", "image/jpeg"),
    ("nha.png", "PNG", "image/png"), ("nha.webp", "WEBP", "image/webp"),
])
def test_photos_in_jpeg_png_and_webp_are_stored_under_a_name_the_server_makes(world, case, name, image_format,
                                                                                content_type):
    attachment = _attach(world, case, name, tiny_image(image_format))
    assert (attachment.content_type, attachment.original_name, attachment.uploaded_by) == (
        content_type, name, world.commune_officer)
    stored = attachment.file.name
    assert stored.startswith(f"housing/cases/{case.pk}/") and name.lower() not in stored.lower()
    assert stored.endswith(name[name.rindex("."):].lower())
    assert attachment.file.read() == tiny_image(image_format)


def test_a_pdf_document_and_a_scanned_handover_record_are_accepted(world, case):
    assert _attach(world, case, "quyet-dinh.pdf", TINY_PDF, AttachmentKind.DOCUMENT).content_type == "application/pdf"
    record = _attach(world, case, "bien-ban.jpg", tiny_image("JPEG"), AttachmentKind.HANDOVER_RECORD)
    assert record.content_type == "image/jpeg"


@pytest.mark.parametrize(("name", "content", "code"), [
    ("anh.jpg", WINDOWS_PROGRAM, "unsupported"),
    ("anh.png", LINUX_PROGRAM, "unsupported"),
    ("bien-ban.pdf", WINDOWS_PROGRAM, "unsupported"),
    ("quyet-dinh.jpg", TINY_PDF, "extension_mismatch"),
    ("anh.jpg", TINY_PNG, "extension_mismatch"),
    ("anh", TINY_PNG, "extension_mismatch"),
    ("ghi-chu.txt", b"plain text, not a photo", "unsupported"),
    ("rong.jpg", b"", "empty"),
])
def test_files_that_are_not_what_they_claim_are_refused_and_nothing_is_stored(world, case, settings, name, content,
                                                                              code):
    with pytest.raises(ValidationError) as error:
        _attach(world, case, name, content, AttachmentKind.DOCUMENT)
    assert error.value.code == code
    assert _nothing_stored(settings)


def test_a_renamed_program_gets_a_clear_message(world, case, english):
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "anh-nha.jpg", WINDOWS_PROGRAM)
    assert error.value.messages == [
        "Only photos (JPEG, PNG or WebP) and PDF documents can be attached; this file is neither."]


def test_a_pdf_named_jpg_is_refused_with_the_reason(world, case, english):
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "anh.jpg", TINY_PDF, AttachmentKind.DOCUMENT)
    assert "ends in “.jpg” but the file is a PDF" in error.value.messages[0]


def test_a_file_over_10_mb_is_refused(world, case, settings, english):
    big = tiny_image("JPEG") + b"\x00" * (MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "anh-lon.jpg", big)
    assert error.value.code == "too_large"
    assert "at most 10 MB" in error.value.messages[0]
    assert _nothing_stored(settings)


def test_a_pdf_is_not_a_photo(world, case, settings):
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "anh.pdf", TINY_PDF, AttachmentKind.PHOTO_AFTER)
    assert error.value.code == "not_a_photo"
    assert _nothing_stored(settings)


def test_an_image_of_absurd_size_in_pixels_is_refused(world, case, settings):
    from io import BytesIO

    from PIL import Image

    output = BytesIO()
    Image.new("1", (12_000, 12_000)).save(output, format="PNG")  # 144 megapixels, a few kB compressed
    with pytest.raises(ValidationError):
        _attach(world, case, "bom.png", output.getvalue())
    assert _nothing_stored(settings)


def test_only_the_cases_commune_officers_attach_files(world, case, settings):
    for actor in (world.district_member, world.provincial_officer):
        with pytest.raises(PermissionDenied):
            services.attachment_add(actor=actor, case=case, kind=AttachmentKind.PHOTO_BEFORE,
                                    uploaded_file=SimpleUploadedFile("a.png", TINY_PNG))
    assert _nothing_stored(settings)


def test_nothing_is_attached_to_a_cancelled_case(world, settings):
    case = case_in_state(CaseState.CANCELLED, household__commune=world.commune, programme__unit=world.district)
    with pytest.raises(ValidationError):
        _attach(world, case, "a.png", TINY_PNG)
    assert _nothing_stored(settings)


@pytest.mark.parametrize(("original", "expected"), [
    ("Biên bản bàn giao.pdf", "ho-so-nha-7-bien-ban-ban-giao.pdf"),
    ("../../etc/passwd.jpg", "ho-so-nha-7-passwd.jpg"),
    ('a"; filename="x.exe.jpg', "ho-so-nha-7-a-filenamexexe.jpg"),
    (".jpg", "ho-so-nha-7-jpg.jpg"),
])
def test_download_names_are_safe(original, expected):
    assert download_name(case_id=7, original_name=original, extension=".jpg" if expected.endswith("jpg")
                         else ".pdf") == expected


def test_the_size_of_a_refused_file_is_written_the_vietnamese_way(world, case):
    from django.utils import translation

    big = tiny_image("JPEG") + b"\x00" * (MAX_ATTACHMENT_BYTES + MAX_ATTACHMENT_BYTES // 20)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        _attach(world, case, "anh-lon.jpg", big)
    assert "10,5 MB" in error.value.messages[0]


def _truncated_jpeg() -> bytes:
    """A JPEG whose headers are whole (Pillow opens and verifies it) but whose pixels are cut off,
    as an upload over a weak connection may arrive."""
    output = BytesIO()
    Image.effect_noise((64, 48), 100).convert("RGB").save(output, format="JPEG")
    data = output.getvalue()
    return data[: len(data) * 2 // 3]


def test_a_photo_cut_off_in_the_middle_is_refused_with_a_message_and_nothing_stored(world, case, settings, english):
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "anh.jpg", _truncated_jpeg())
    assert error.value.code == "damaged"
    assert "Send it again" in error.value.messages[0]
    assert _nothing_stored(settings)


def test_a_cut_off_photo_uploaded_on_the_page_is_a_message_not_an_error_page(client, world, case):
    client.force_login(world.commune_officer)
    response = client.post(reverse("housing:attachment-add", args=[case.pk]), {
        "kind": "photo_before", "file": SimpleUploadedFile("anh.jpg", _truncated_jpeg())})
    assert response.status_code == 400
    assert 'data-testid="attachment-error"' in response.content.decode()


def test_a_phone_jpeg_with_a_second_image_inside_is_a_photo(world, case):
    output = BytesIO()
    Image.new("RGB", (8, 6), (10, 200, 10)).save(output, format="MPO", save_all=True,
                                                  append_images=[Image.new("RGB", (4, 3))])
    attachment = _attach(world, case, "IMG_2041.JPG", output.getvalue())
    assert attachment.content_type == "image/jpeg"


def test_a_file_that_only_starts_like_a_pdf_is_refused(world, case, settings):
    page = b"%PDF-<html><body><script>alert(document.cookie)</script></body></html>"
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "bien-ban.pdf", page, AttachmentKind.DOCUMENT)
    assert error.value.code == "unsupported"
    assert _nothing_stored(settings)


# -- images bounded and stripped, thumbnails made by a task, PDFs that run nothing ----------------------


def test_a_png_of_100_megapixels_is_refused_in_milliseconds_without_decoding_a_pixel(world, case, settings,
                                                                                     english, monkeypatch):
    """The probe's image: 12 KB of PNG that took 0.9 s and its memory to decode whole."""
    output = BytesIO()
    Image.new("1", (10_000, 10_000)).save(output, format="PNG")
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("a pixel was decoded"))
    started = time.perf_counter()
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "bom.png", output.getvalue())
    assert time.perf_counter() - started < 0.3
    assert error.value.code == "too_many_pixels"
    assert "more than 40 million pixels" in error.value.messages[0]
    assert _nothing_stored(settings)


def test_an_image_under_pillows_limit_but_over_ours_is_refused(world, case, settings):
    output = BytesIO()
    Image.new("1", (8_000, 6_250)).save(output, format="PNG")  # 50 megapixels: Pillow alone would decode it
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "lon.png", output.getvalue())
    assert error.value.code == "too_many_pixels"
    assert _nothing_stored(settings)


def test_the_upload_decodes_no_pixel_and_a_task_makes_the_thumbnail(world, case, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(attachment_thumbnail_task, "apply_async", lambda args, **options: queued.append(args))
    photo = Image.effect_noise((1200, 900), 60).convert("RGB")
    content = BytesIO()
    photo.save(content, format="JPEG")
    decode = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("the request decoded the photo"))
    with django_capture_on_commit_callbacks(execute=True):
        attachment = _attach(world, case, "nha.jpg", content.getvalue())
    assert not attachment.thumbnail
    assert queued == [(attachment.pk,)]

    monkeypatch.setattr(Image.Image, "load", decode)
    attachment_thumbnail_task.apply(queued[0]).get()  # what the worker runs
    attachment.refresh_from_db()
    with Image.open(attachment.thumbnail) as thumbnail:
        assert (thumbnail.format, max(thumbnail.size)) == ("JPEG", 480)


def test_the_case_page_shows_a_photo_waiting_for_its_thumbnail(client, world, case):
    attachment = CaseAttachmentFactory(case=case)
    client.force_login(world.commune_officer)
    page = client.get(reverse("housing:case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="no-thumbnail"' in page
    services.attachment_make_thumbnail(attachment.pk)
    page = client.get(reverse("housing:case-detail", args=[case.pk])).content.decode()
    assert f"{reverse('housing:attachment-download', args=[attachment.pk])}?size=thumbnail" in page


def _phone_photo() -> tuple[Image.Image, bytes]:
    """A JPEG as a phone saves it: EXIF with the maker, the orientation and where it was taken (GPS),
    XMP, and a comment."""
    image = Image.effect_noise((40, 30), 80).convert("RGB")
    exif = Image.Exif()
    exif[0x0112], exif[0x010F] = 6, "Samsung"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (10.0, 14.0, 3.5), "E", (106.0, 22.0, 1.25)
    output = BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes(), comment=b"Nha ong Nam, ap 3",
               xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><GPSLatitude>10,14N</GPSLatitude></x:xmpmeta>')
    return image, output.getvalue()


def test_a_stored_photo_has_no_exif_gps_xmp_or_comment_keeps_its_orientation_and_every_pixel(world, case):
    _image, content = _phone_photo()
    assert b"Samsung" in content and b"GPSLatitude" in content
    attachment = _attach(world, case, "IMG_2041.jpg", content)
    stored = attachment.file.read()
    assert b"Samsung" not in stored and b"GPSLatitude" not in stored and b"Nha ong Nam" not in stored
    with Image.open(BytesIO(stored)) as kept, Image.open(BytesIO(content)) as original:
        assert dict(kept.getexif()) == {0x0112: 6}, "only the orientation stays"
        assert not kept.getexif().get_ifd(0x8825)
        assert kept.tobytes() == original.tobytes(), "the same coded pixels: nothing re-encoded"
    assert attachment.size == len(stored)


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_exif_and_text_too(world, case, image_format):
    image = Image.effect_noise((20, 10), 80).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    exif.get_ifd(0x8825)[1] = "N"
    output = BytesIO()
    options = {"pnginfo": _png_text("Comment", "GPS 10.14N")} if image_format == "PNG" else {"lossless": True}
    image.save(output, format=image_format, exif=exif.tobytes(), **options)
    assert b"Samsung" in output.getvalue()
    stored = _attach(world, case, f"anh.{image_format.lower()}", output.getvalue()).file.read()
    assert b"Samsung" not in stored and b"GPS 10.14N" not in stored
    with Image.open(BytesIO(stored)) as kept:
        assert not dict(kept.getexif())
        assert kept.convert("RGB").tobytes() == image.tobytes()


def _png_text(key: str, value: str):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(key, value)
    return info


def _pdf(*, open_action=None, page_annotation=None, names_javascript=False) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert(1)")})
    if open_action == "script":
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(script)
    elif open_action == "page":
        writer._root_object[NameObject("/OpenAction")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    if page_annotation:
        link = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)]),
            NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject(page_annotation),
                                                NameObject("/F"): TextStringObject("cmd.exe")}),
        })
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    if names_javascript:
        tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("a"),
                                                                    writer._add_object(script)])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({
            NameObject("/JavaScript"): writer._add_object(tree)})
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.mark.parametrize("pdf", [
    pytest.param({"open_action": "script"}, id="javascript-on-opening"),
    pytest.param({"page_annotation": "/JavaScript"}, id="javascript-link"),
    pytest.param({"page_annotation": "/Launch"}, id="launch-a-program"),
    pytest.param({"names_javascript": True}, id="document-javascript"),
])
def test_a_pdf_that_runs_something_is_refused_and_nothing_stored(world, case, settings, english, pdf):
    with pytest.raises(ValidationError) as error:
        _attach(world, case, "quyet-dinh.pdf", _pdf(**pdf), AttachmentKind.DOCUMENT)
    assert error.value.code == "active_pdf"
    assert "runs when it is opened" in error.value.messages[0]
    assert _nothing_stored(settings)


def test_a_pdf_that_only_opens_at_a_page_is_accepted(world, case):
    attachment = _attach(world, case, "quyet-dinh.pdf", _pdf(open_action="page"), AttachmentKind.DOCUMENT)
    assert attachment.content_type == "application/pdf"
