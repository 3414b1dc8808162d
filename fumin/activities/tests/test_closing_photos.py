"""Photos at closing: JPEG, PNG or WebP by content (not only by name), at most 5 MB each, stored
under MEDIA_ROOT and shown only to the staff who run the activity."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fumin.activities.models import ActivityPhoto
from fumin.activities.services import PHOTO_MAX_BYTES, activity_close

from .helpers import make_activity

pytestmark = pytest.mark.usefixtures("clock")

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def held(world, clock):
    activity = make_activity(world)
    clock.set("2020-09-12 13:00")
    return activity


def test_photos_are_stored_and_audited_at_closing(world, clock, settings):
    activity = held(world, clock)
    activity_close(
        actor=world.secretary_a,
        activity=activity,
        beneficiaries=30,
        photos=[
            upload("现场.png", PNG),
            upload("合影.JPG", JPEG, "image/jpeg"),
            upload("a.webp", WEBP),
        ],
    )
    photos = list(activity.photos.order_by("pk"))
    assert [p.content_type for p in photos] == ["image/png", "image/jpeg", "image/webp"]
    assert [p.original_name for p in photos] == ["现场.png", "合影.JPG", "a.webp"]
    for photo in photos:
        path = settings.MEDIA_ROOT / photo.file.name
        assert path.exists() and photo.file.name.startswith(
            f"activities/photos/{activity.public_id}/"
        )
    assert photos[0].uploaded_by == world.secretary_a


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # Messages in Chinese, the default language: "is not a JPEG, PNG or WebP photo"
        ("动画.gif", GIF, "不是 JPEG、PNG 或 WebP 格式的照片"),
        ("伪装.png", GIF, "不是 JPEG、PNG 或 WebP 格式的照片"),  # the name lies
        ("说明.pdf", PNG, "不是 JPEG、PNG 或 WebP 格式的照片"),  # the extension is not allowed
        ("无后缀", PNG, "不是 JPEG、PNG 或 WebP 格式的照片"),
        ("太大.png", PNG + b"\x00" * PHOTO_MAX_BYTES, "超过 5 MB"),  # "is larger than 5 MB"
    ],
)
def test_bad_files_are_refused_naming_the_field_and_nothing_is_closed(
    world, clock, name, content, message
):
    activity = held(world, clock)
    with pytest.raises(ValidationError) as error:
        activity_close(
            actor=world.secretary_a,
            activity=activity,
            beneficiaries=5,
            photos=[upload("好的.png", PNG), upload(name, content)],
        )
    assert list(error.value.message_dict) == ["photos"]
    assert name in error.value.message_dict["photos"][0]
    assert message in error.value.message_dict["photos"][0]
    activity.refresh_from_db()
    assert activity.status == "published" and not ActivityPhoto.objects.exists()


def test_the_console_closes_with_photos_and_shows_them_to_its_staff_only(world, clock, client):
    activity = held(world, clock)
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("console:activity_close", args=[activity.public_id]),
        {"beneficiaries": "12", "summary": "顺利", "photos": [upload("现场.png", PNG)]},
    )
    assert response.status_code == 302
    page = client.get(reverse("console:activity_detail", args=[activity.public_id]))
    photo = activity.photos.get()
    src = reverse("console:activity_photo", args=[activity.public_id, photo.pk])
    assert src in page.content.decode()
    served = client.get(src)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    client.force_login(world.secretary_b)
    assert client.get(src).status_code == 404
    client.force_login(world.member)
    assert client.get(src).status_code == 403


def test_the_console_names_the_photos_field_for_a_bad_file(world, clock, client):
    activity = held(world, clock)
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("console:activity_close", args=[activity.public_id]),
        {"beneficiaries": "12", "photos": [upload("动画.gif", GIF, "image/gif")]},
    )
    assert response.status_code == 400
    form = response.context["close_form"]
    assert "photos" in form.errors and "动画.gif" in form.errors["photos"][0]
    activity.refresh_from_db()
    assert activity.status == "published"
