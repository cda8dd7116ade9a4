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
    made): the build replaces files there (`_write_atomic`), never writes into them.

    The build before this one is kept there by `_swap_in`, its files linked to the same inodes
    as `out`'s where they did not change: it is brought to `out`'s state by comparing inodes,
    linking again only what the last run changed. Linking a whole 2,000-story mirror afresh
    and removing the old one took half a second of a run that changes one story."""
    staging = out.with_name(f".{out.name}.building")
    if not out.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        return staging
    if staging.is_dir() and not staging.is_symlink():
        _sync_links(out, staging)
        return staging
    shutil.rmtree(staging, ignore_errors=True)  # not a folder: nothing of ours to reuse

    def link(source: str, destination: str) -> None:
        if not source.endswith(".tmp"):
            _link_or_copy(source, destination)

    shutil.copytree(out, staging, copy_function=link, symlinks=True)
    return staging


def _sync_links(source: str | Path, target: str | Path) -> None:
    """Make `target` hold what `source` holds, each file a hard link to `source`'s, touching
    only what differs: a file of another inode is linked again, what `source` lacks goes,
    what it gained comes (symbolic links copied as links, `.tmp` files left out)."""
    theirs = {entry.name: entry for entry in os.scandir(source)}
    ours = {}
    for entry in os.scandir(target):
        match = theirs.get(entry.name)
        if match is None or entry.name.endswith(".tmp") or _kind(match) != _kind(entry):
            _delete(entry)
        else:
            ours[entry.name] = entry
    for name, entry in theirs.items():
        destination = os.path.join(target, name)
        kind, mine = _kind(entry), ours.get(name)
        if kind == "folder":
            if mine is None:
                os.mkdir(destination)
                shutil.copystat(entry.path, destination)
            _sync_links(entry.path, destination)
        elif kind == "link":
            if mine is None or os.readlink(mine.path) != os.readlink(entry.path):
                if mine is not None:
                    os.unlink(destination)
                os.symlink(os.readlink(entry.path), destination)
        elif not name.endswith(".tmp") and (mine is None or mine.inode() != entry.inode()):
            if mine is not None:
                os.unlink(destination)
            _link_or_copy(entry.path, destination)


def _kind(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return "link"
    return "folder" if entry.is_dir(follow_symlinks=False) else "file"


def _delete(entry: os.DirEntry) -> None:
    if _kind(entry) == "folder":
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


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
    (renameat2 RENAME_EXCHANGE), else in three renames. The old build is left under the
    staging name, for the next run to start from (`_staging_copy`)."""
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
        return
    previous = out.with_name(f".{out.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(out, previous)
    os.rename(staging, out)
    os.rename(previous, staging)


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
