"""Pictures: from the address an export gives to a file in the local copy of the uploads, and
from that file to one Photo however many stories use it. The network is never used."""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from PIL import Image, UnidentifiedImageError
from wagtail.models import Collection

from samizdat.newsroom.models import Photo

from .models import ImportedItem
from .source import Picture

# WordPress's resized copies: photo-1024x768.jpg, photo-scaled.jpg, photo-rotated.jpg.
WORDPRESS_SIZE = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")
# Ghost's resized and converted copies: size/w600/…, size/w600h400/format/webp/…
GHOST_SIZE = re.compile(r"^(?:size/w\d+(?:h\d+)?/)?(?:format/[a-z]+/)?")


def _host(netloc: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.")


class PictureFiles:
    """The uploads as a folder or a zip, and the URL prefixes that lead into them."""

    def __init__(self, prefixes: list[str], place: Path | None) -> None:
        self.prefixes = [p for p in dict.fromkeys(prefixes) if p]
        self.folder: Path | None = None
        self.zip: zipfile.ZipFile | None = None
        self.zip_names: set[str] = set()
        self.zip_roots: list[str] = [""]
        if place is not None:
            if place.is_dir():
                self.folder = place.resolve()
            elif zipfile.is_zipfile(place):
                self.zip = zipfile.ZipFile(place)
                self.zip_names = {n for n in self.zip.namelist() if not n.endswith("/")}
                self.zip_roots = _zip_roots(self.zip_names)
            else:
                raise ValueError(f"{place} is neither a folder nor a zip file")

    def relative_path(self, url: str) -> str | None:
        """The picture's path inside the uploads, or None if no prefix leads there."""
        for prefix in self.prefixes:
            rest = _after_prefix(url, prefix)
            if rest is not None:
                path = posixpath.normpath(unquote(rest).lstrip("/"))
                if path.startswith("..") or path in ("", "."):
                    return None
                return path
        return None

    def candidates(self, path: str) -> list[str]:
        """The original first, then the sized copy the export named."""
        original = GHOST_SIZE.sub("", path, count=1)
        original = WORDPRESS_SIZE.sub("", original)
        return list(dict.fromkeys([original, GHOST_SIZE.sub("", path, count=1), path]))

    def read(self, url: str) -> tuple[str, bytes] | None:
        path = self.relative_path(url)
        if path is None:
            return None
        for candidate in self.candidates(path):
            data = self._read(candidate)
            if data is not None:
                return candidate, data
        return None

    def exists(self, url: str) -> bool:
        path = self.relative_path(url)
        return path is not None and any(self._exists(c) for c in self.candidates(path))

    def _exists(self, path: str) -> bool:
        if self.folder is not None:
            return (self.folder / path).is_file()
        return any(root + path in self.zip_names for root in self.zip_roots)

    def _read(self, path: str) -> bytes | None:
        if self.folder is not None:
            file = (self.folder / path).resolve()
            if file.is_relative_to(self.folder) and file.is_file():
                return file.read_bytes()
            return None
        if self.zip is not None:
            for root in self.zip_roots:
                if root + path in self.zip_names:
                    return self.zip.read(root + path)
        return None


def _after_prefix(url: str, prefix: str) -> str | None:
    if url.startswith(prefix):
        return url[len(prefix) :]
    if prefix.startswith("__GHOST_URL__"):
        # The same picture written with the site's address instead of Ghost's placeholder.
        prefix = prefix.removeprefix("__GHOST_URL__")
        found = urlsplit(url)
        return found.path[len(prefix) :] if found.path.startswith(prefix) else None
    wanted, found = urlsplit(prefix), urlsplit(url)
    if found.netloc and wanted.netloc and _host(found.netloc) != _host(wanted.netloc):
        return None
    if found.path.startswith(wanted.path):
        return found.path[len(wanted.path) :]
    return None


def _zip_roots(names: set[str]) -> list[str]:
    """Where the uploads start inside a zip: at its top, in one folder (uploads/), or deeper
    (wp-content/uploads/, content/images/)."""
    roots = {""}
    for name in names:
        parts = PurePosixPath(name).parts
        if len(parts) > 1:
            roots.add(parts[0] + "/")
        for marker in ("uploads/", "images/"):
            at = name.find(marker)
            if at >= 0:
                roots.add(name[: at + len(marker)])
    return sorted(roots, key=len, reverse=True)


def content_hash(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


class PhotoMaker:
    """One Photo per distinct file (by content), remembered under its hash in ImportedItem."""

    def __init__(self, source: str, site: str) -> None:
        self.source, self.site = source, site
        self.collection = Collection.get_first_root_node()

    def photo_for(self, picture: Picture, name: str, data: bytes) -> tuple[int, bool]:
        """The photo's id and whether it was made now. Raises ValueError for a file that is
        not a picture."""
        digest = content_hash(data)
        key = {"source": self.source, "site": self.site, "kind": "picture", "source_id": digest}
        item = ImportedItem.objects.filter(**key, photo__isnull=False).first()
        if item is not None:
            return item.photo_id, False
        try:
            with Image.open(BytesIO(data)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise ValueError(f"not a picture: {name}") from exc
        filename = PurePosixPath(name).name
        title = picture.title or picture.alt or PurePosixPath(filename).stem
        photo = Photo(
            title=title[:255],
            description=(picture.alt or picture.caption or title)[:255],
            caption=picture.caption[:500],
            photographer=picture.credit[:200],
            collection=self.collection,
            file_size=len(data),
            file_hash=digest,
        )
        photo.file = ImageFile(BytesIO(data), name=filename)
        photo.save()
        ImportedItem.objects.update_or_create(**key, defaults={"photo": photo, "digest": digest})
        return photo.pk, True
