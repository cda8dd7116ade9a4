"""Writing the mirror's files: whole or not at all, built beside the folder and swapped in,
with the media and static files pages refer to."""

from __future__ import annotations

import ctypes
import hashlib
import os
import posixpath
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.utils.html import escape

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _write_atomic(path: Path, data: bytes, folders: set[Path] | None = None) -> None:
    """Write a file whole or not at all; `folders` remembers the folders known to exist."""
    _make_folder(path.parent, folders)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _make_folder(folder: Path, folders: set[Path] | None = None) -> None:
    if folders is None or folder not in folders:
        folder.mkdir(parents=True, exist_ok=True)
        if folders is not None:
            folders.add(folder)


def _remove(out: Path, relpath: str) -> bool:
    path = out / relpath
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    # No empty folders left behind: a static host would answer 403 or list them.
    parent = path.parent
    while parent != out:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
    return True


def _staging_copy(out: Path) -> Path:
    """A folder next to `out` holding its files as hard links (a copy where links cannot be
    made): the build replaces files there (`_write_atomic`), never writes into them."""
    staging = out.with_name(f".{out.name}.building")
    shutil.rmtree(staging, ignore_errors=True)  # what a run that was killed left behind
    if not out.is_dir():
        staging.mkdir(parents=True)
        return staging

    def link(source: str, destination: str) -> None:
        if not source.endswith(".tmp"):
            _link_or_copy(source, destination)

    shutil.copytree(out, staging, copy_function=link, symlinks=True)
    return staging


def _is_linked(source: str | Path, destination: Path) -> bool:
    try:
        return os.path.samefile(source, destination)
    except OSError:
        return False


def _link_or_copy(source: str | Path, destination: str | Path) -> None:
    """A hard link to a file nobody writes into (a copy across file systems)."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap_in(staging: Path, out: Path) -> None:
    """Put the finished build where the old one was, in one step where Linux can
    (renameat2 RENAME_EXCHANGE), else in two renames; then remove the old one."""
    if not out.exists():
        os.rename(staging, out)
        return
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
        exchanged = (
            renameat2(
                _AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE
            )
            == 0
        )
    except (OSError, AttributeError):
        exchanged = False
    if exchanged:
        shutil.rmtree(staging)  # the old build, now under the staging name
        return
    previous = out.with_name(f".{out.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(out, previous)
    os.rename(staging, out)
    shutil.rmtree(previous)


def root_files() -> dict[str, Path]:
    """The files the site serves at its root, by name: a mirror serves them there too."""
    root = getattr(settings, "WHITENOISE_ROOT", None)
    if not root or not Path(root).is_dir():
        return {}
    return {path.name: path for path in sorted(Path(root).iterdir()) if path.is_file()}


def _asset_source(asset: str) -> tuple[str | None, str | None]:
    """(file path, storage name) of a media or static file that a page refers to."""
    media_prefix = settings.MEDIA_URL.lstrip("/")
    static_prefix = settings.STATIC_URL.lstrip("/")
    if asset.startswith(media_prefix):
        name = asset[len(media_prefix) :]
        try:
            return default_storage.path(name), name
        except NotImplementedError:  # remote storage: read through the storage API
            return None, name
    if asset.startswith(static_prefix):
        found = finders.find(asset[len(static_prefix) :])
        if isinstance(found, list):
            found = found[0] if found else None
        return found, None
    return None, None


def css_references(css: str, asset: str) -> Iterator[str]:
    """Files a stylesheet loads (fonts, images, imports), as paths under the output folder."""
    for match in _CSS_URL.finditer(css):
        url = (match.group(2) or match.group(4) or "").strip()
        if not url or url.startswith(("data:", "#", "//")) or urlsplit(url).scheme:
            continue
        url = url.split("?")[0].split("#")[0]
        if url.startswith("/"):
            yield unquote(url).lstrip("/")
        else:
            yield posixpath.normpath(posixpath.join(posixpath.dirname(asset), unquote(url)))


def root_index(title: str, url: str, canonical: str, onion: str = "") -> bytes:
    """The mirror's front door: straight to the default edition, without JavaScript."""
    title, url, canonical = escape(title), escape(url), escape(canonical)
    onion_meta = f'<meta http-equiv="onion-location" content="{escape(onion)}">\n' if onion else ""
    return (
        '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        f'<link rel="canonical" href="{canonical}">\n{onion_meta}'
        f'</head>\n<body>\n<p><a href="{url}">{title}</a></p>\n</body>\n</html>\n'
    ).encode()
