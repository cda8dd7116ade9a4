"""`samizdat import wordpress|ghost`, end to end, on small exports written for these tests."""

from __future__ import annotations

import zipfile
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from samizdat.newsroom.models import ArticlePage, InfoPage
from tests.imports.conftest import counts

FIXTURES = Path(__file__).parent / "fixtures"
WXR = FIXTURES / "wordpress" / "newsroom.xml"


def picture(path: Path, colour: str, size=(640, 400)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    path.write_bytes(out.getvalue())


def import_(*args) -> str:
    out = StringIO()
    call_command("import", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def uploads(tmp_path) -> Path:
    folder = tmp_path / "uploads"
    picture(folder / "2024" / "03" / "council.jpg", "darkred")
    return folder


def test_wordpress_posts_become_articles_with_dates_authors_sections_and_tags(
    newsroom, uploads, client
):
    report = import_("wordpress", WXR, "--uploads", uploads, "--default-section", "news")

    live = ArticlePage.objects.live()
    assert sorted(live.values_list("slug", flat=True)) == [
        "council-budget-ferry",
        "ferry-timetable",
    ]
    budget = live.get(slug="council-budget-ferry")
    assert budget.first_published_at.isoformat() == "2024-03-12T12:30:00+00:00"
    assert budget.get_parent().slug == "courts"
    assert [author.title for author in budget.byline] == ["Anna Kalnina"]
    assert budget.tags.count() == 2
    assert "stories" in report and "Private posts" in report
    assert "guest-writer" in report  # an author the export does not list
    assert InfoPage.objects.filter(slug="о-нас").exists()

    page = client.get(budget.url)
    assert page.status_code == 200
    assert budget.lead_image is not None
    assert budget.lead_image.renditions.exists()  # drawn on the page


def test_wordpress_old_permalinks_and_p_ids_answer_301(newsroom, uploads, client):
    assert client.get("/2024/03/12/council-budget-ferry/").status_code in (302, 404)
    import_("wordpress", WXR, "--uploads", uploads, "--default-section", "news")

    budget = ArticlePage.objects.get(slug="council-budget-ferry")
    for old in ("/2024/03/12/council-budget-ferry/", "/?p=101"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, budget.url), old
    assert client.get(budget.url).status_code == 200


def test_wordpress_pictures_come_from_a_zip_of_the_uploads_too(newsroom, uploads, tmp_path):
    zipped = tmp_path / "uploads.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(uploads / "2024" / "03" / "council.jpg", "uploads/2024/03/council.jpg")
    import_("wordpress", WXR, "--uploads", zipped, "--default-section", "news")

    assert ArticlePage.objects.get(slug="council-budget-ferry").lead_image is not None


def test_a_second_wordpress_import_changes_nothing(newsroom, uploads):
    import_("wordpress", WXR, "--uploads", uploads, "--default-section", "news")
    before = counts()
    import_("wordpress", WXR, "--uploads", uploads, "--default-section", "news")
    assert counts() == before


def test_a_missing_picture_is_reported_and_written_to_the_report_file(newsroom, tmp_path):
    empty = tmp_path / "empty-uploads"
    empty.mkdir()
    report_file = tmp_path / "report.txt"
    import_(
        "wordpress", WXR, "--uploads", empty, "--default-section", "news", "--report", report_file
    )

    text = report_file.read_text()
    assert "Missing pictures" in text
    assert "2024/03/council.jpg" in text
    assert ArticlePage.objects.live().filter(slug="council-budget-ferry").exists()


def test_a_dry_run_writes_nothing(newsroom, uploads):
    before = counts()
    report = import_("wordpress", WXR, "--uploads", uploads, "--dry-run", "--default-section", "x")
    assert counts() == before
    assert "would create" in report


def test_a_broken_export_is_refused_before_anything_is_written(newsroom):
    before = counts()
    with pytest.raises(CommandError, match="truncated"):
        import_("wordpress", FIXTURES / "wordpress" / "truncated.xml")
    with pytest.raises(CommandError):
        import_("ghost", FIXTURES / "wordpress" / "news-feed.rss")
    assert counts() == before


@pytest.fixture
def images(tmp_path) -> Path:
    folder = tmp_path / "images"
    for name, colour in [
        ("2023/02/bridge-wide.jpg", "navy"),
        ("2023/02/bridge.jpg", "gray"),
        ("2024/05/cave-mouth.jpg", "olive"),
        ("2024/05/hall.jpg", "purple"),
    ]:
        picture(folder / name, colour)
    return folder


@pytest.mark.parametrize(
    ("export", "published", "missing", "moved"),
    [
        ("v4-html.json", {"old-bridge", "bridge-opens"}, None, "old-bridge"),
        ("v5-lexical.json", {"mill-caves"}, "2024/05/lake.jpg", "mill-caves"),
    ],
)
def test_ghost_exports_import_with_pictures_redirects_and_nothing_new_the_second_time(
    newsroom, images, client, export, published, missing, moved
):
    path = FIXTURES / "ghost" / export
    report = import_("ghost", path, "--images", images, "--default-section", "news")

    assert set(ArticlePage.objects.live().values_list("slug", flat=True)) == published
    assert "Members-only posts" in report
    if missing:
        assert missing in report
    for article in ArticlePage.objects.live():
        assert client.get(article.url).status_code == 200
    article = ArticlePage.objects.get(slug=moved)
    response = client.get(f"/{moved}/")
    assert (response.status_code, response["Location"]) == (301, article.url)
    shown = client.get(article.url).content.decode()
    photos = [article.lead_image] if article.lead_image else []
    photos += [block.value["image"] for block in article.body if block.block_type == "image"]
    assert photos, "the story's pictures were found in the images folder"
    for photo in photos:
        assert photo.description in shown

    before = counts()
    import_("ghost", path, "--images", images, "--default-section", "news")
    assert counts() == before
