"""What the last build wrote (the manifest), and which files a change can have touched since
(`Dependencies`)."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from taggit.models import Tag
from wagtail.models import Site

from samizdat.core.mail import public_url
from samizdat.newsroom.models import Photo
from samizdat.reach.domains import onion_url
from samizdat.support.giving import appeals
from samizdat.support.giving.giving_safely import configuration_shown
from samizdat.support.models import Appeal, AppealVariant, Campaign, DonationForm

from .files import _write_atomic
from .plan import SITEMAPS, MirrorOptions, Plan

MANIFEST_NAME = ".samizdat-mirror.json"
MANIFEST_VERSION = 3


@dataclass(frozen=True)
class Shown:
    """What some pages show beyond the pages themselves: a change to its rows renders again
    only the files that read one of its generations while they rendered."""

    generations: tuple[str, ...]
    models: tuple[type, ...]


SHOWN = {
    "appeals": Shown((appeals.APPEALS, appeals.PROGRESS), (Appeal, AppealVariant, Campaign)),
    "forms": Shown((appeals.FORMS,), (DonationForm,)),
}


@dataclass
class TargetRecord:
    file: str
    owner: str
    hash: str
    links: list[str]
    assets: list[str]
    addresses: list[str] = field(default_factory=list)
    shows: list[str] = field(default_factory=list)  # of SHOWN's generations, those it read

    def to_json(self, asset_numbers: dict[str, int]) -> dict:
        data = {"file": self.file, "owner": self.owner, "hash": self.hash, "links": self.links}
        if self.shows:
            data["shows"] = self.shows
        if self.assets:
            # By number in the manifest's list of assets: the same few hundred images and
            # scripts recur in thousands of pages.
            data["assets"] = [asset_numbers[asset] for asset in self.assets]
        if self.addresses:
            data["addresses"] = self.addresses
        return data


@dataclass
class Manifest:
    site: str = ""
    shown: dict[str, str] = field(default_factory=dict)  # SHOWN's name → its fingerprint
    pages: dict[str, list[str]] = field(default_factory=dict)  # pk → [position, content]
    targets: dict[str, TargetRecord] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)  # file → its source's size:mtime
    generated: dict[str, str] = field(default_factory=dict)  # index.html → hash

    @classmethod
    def load(cls, out: Path) -> Manifest | None:
        try:
            data = json.loads((Path(out) / MANIFEST_NAME).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != MANIFEST_VERSION:
            return None
        names = data.get("asset_names", [])
        return cls(
            site=data.get("site", ""),
            shown=data.get("shown", {}),
            pages=data.get("pages", {}),
            targets={
                key: TargetRecord(
                    file=value["file"],
                    owner=value["owner"],
                    hash=value["hash"],
                    links=value.get("links", []),
                    assets=[names[number] for number in value.get("assets", [])],
                    addresses=value.get("addresses", []),
                    shows=value.get("shows", []),
                )
                for key, value in data.get("targets", {}).items()
            },
            assets=data.get("assets", {}),
            generated=data.get("generated", {}),
        )

    def save(self, out: Path) -> None:
        names = sorted({asset for record in self.targets.values() for asset in record.assets})
        numbers = {name: number for number, name in enumerate(names)}
        data = {
            "version": MANIFEST_VERSION,
            "site": self.site,
            "shown": self.shown,
            "pages": self.pages,
            "asset_names": names,
            "targets": {
                key: record.to_json(numbers) for key, record in sorted(self.targets.items())
            },
            "assets": dict(sorted(self.assets.items())),
            "generated": self.generated,
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        _write_atomic(out / MANIFEST_NAME, text.encode())


@dataclass
class Work:
    """What to render: whole owners (every file of a page, its pagination included), and keys."""

    owners: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)


class Dependencies:
    """Which files a change can have touched: every rule of the incremental export is here.

    A page's *content* is the revision it shows; its *position* is where it appears in lists
    and under which address (URL, first publication, kind). For every page whose content or
    position changed, or that was published or unpublished since the last run, render again:

    1. all its own files (its pagination pages included);
    2. every file that links to it: teasers and "Read more" show its headline and photo, a
       byline its author's name, feeds its text, the sitemap its date of publication;
    3. if its position changed: every file that names its address (hreflang alternates and
       the language switcher of its translations); every page of every list it is in, before
       or after the change, since an insertion or a removal shifts what each page of a list
       shows: the pages above it (section, home) and their feeds, and the author and tag pages
       its own page links to; and the sitemaps;
    4. everything, if it is a home or section page (the navigation every page carries), or a
       page of another kind than article or author was published, moved or unpublished (the
       header and footer link to those).

    What every page shows beyond the pages themselves (templates and code, photo captions and
    credits, tag names, the mirror's options) makes up the site fingerprint: when it changes,
    everything is rendered again. Appeals and donation forms, which only some pages show, have
    fingerprints of their own (`SHOWN`): when one changes, the files that read it are rendered
    again (each file's record names what it read). robots.txt, the 404 page and
    "Giving safely" (written from the payment configuration, which is in the fingerprint too)
    depend on nothing else. The goal's progress is not part of it: it moves with every gift,
    and pages show it as one image that every run writes afresh (mirror_goal.py).
    """

    TARGETED_KINDS = ("ArticlePage", "AuthorPage")
    NAVIGATION_KINDS = ("HomePage", "SectionPage")

    def __init__(
        self, plan: Plan, manifest: Manifest, site_fingerprint: str, shown: dict[str, str]
    ) -> None:
        self.plan = plan
        self.manifest = manifest
        self.reshown = {
            generation
            for name, part in SHOWN.items()
            if manifest.shown.get(name) != shown.get(name)
            for generation in part.generations
        }
        current = {str(pk): [p.position, p.content] for pk, p in plan.pages.items()}
        previous = manifest.pages
        self.changed = {
            pk for pk in current.keys() | previous.keys() if current.get(pk) != previous.get(pk)
        }
        self.moved = {
            pk
            for pk in self.changed
            if (current.get(pk) or [""])[0] != (previous.get(pk) or [""])[0]
        }
        self.everything = manifest.site != site_fingerprint
        for pk in self.changed:
            kinds = {
                _kind_of(position)
                for position in ((current.get(pk) or [""])[0], (previous.get(pk) or [""])[0])
                if position
            }
            navigation = bool(kinds & set(self.NAVIGATION_KINDS))
            if navigation or (pk in self.moved and not kinds <= set(self.TARGETED_KINDS)):
                self.everything = True  # rule 4

    def first(self) -> Work:
        """Rule 1, rendered before the rest so that the pages' new links are known; and the
        files that show a changed appeal or donation form."""
        return Work(
            owners={f"page:{pk}" for pk in self.changed},
            keys={
                key
                for key, record in self.manifest.targets.items()
                if self.reshown.intersection(record.shows)
            },
        )

    def then(self, new_links: dict[str, set[str]]) -> Work:
        """Rules 2 and 3, given what the files rendered first link to now."""
        changed = {f"page:{pk}" for pk in self.changed}
        moved = {f"page:{pk}" for pk in self.moved}
        work = Work()
        for key, record in self.manifest.targets.items():
            if changed.intersection(record.links) or moved.intersection(record.addresses):
                work.keys.add(key)  # rules 2 and 3
        for pk in self.moved:  # rule 3
            owner = f"page:{pk}"
            links = set(new_links.get(owner, ()))
            for record in self.manifest.targets.values():
                if record.owner == owner:
                    links.update(record.links)
            # Its tag and author pages are those its own page links to; its section and home
            # are above it. (Every page links to every section in its navigation.)
            work.owners.update(links & self.plan.listing_owners)
            for ancestor in self._ancestors(pk):
                work.owners.update((f"page:{ancestor}", f"feed:{ancestor}"))
            work.keys.update(SITEMAPS)
        return work

    def _ancestors(self, pk: str) -> set[int]:
        """The pages above one, by treebeard path if it is still published, else by URL."""
        info = self.plan.pages.get(int(pk))
        if info is not None:
            return {
                other.pk
                for other in self.plan.pages.values()
                if other.pk != info.pk and info.path.startswith(other.path)
            }
        old_key = next(
            (k for k, r in self.manifest.targets.items() if r.owner == f"page:{pk}"), None
        )
        if old_key is None:
            return set()
        return {
            other.pk
            for other in self.plan.pages.values()
            if old_key.startswith(other.key) and old_key != other.key
        }


def _kind_of(position: str) -> str:
    return position.rsplit("|", 1)[-1]


def site_fingerprint(options: MirrorOptions) -> str:
    """Everything every page shows or depends on, beyond the pages themselves."""
    digest = hashlib.blake2b(digest_size=16)

    def feed(value: object) -> None:
        _feed(digest, value)

    feed(
        (
            MANIFEST_VERSION,
            options.base_url,
            options.relative,
            options.checkout_url,
            options.forms,
            settings.LANGUAGES,
            settings.LANGUAGE_CODE,
            settings.STATIC_URL,
            settings.MEDIA_URL,
            # Every page names the onion host (onion-location); "How to reach us" the others.
            onion_url(),
            getattr(settings, "SAMIZDAT_ALTERNATE_HOSTS", []),
            public_url(),
        )
    )
    feed(list(Site.objects.order_by("pk").values_list("hostname", "port", "root_page_id")))
    feed(list(Tag.objects.order_by("pk").values_list()))
    feed(
        list(
            Photo.objects.order_by("pk").values_list(
                "pk",
                "file",
                "description",
                "caption",
                "photographer",
                "agency",
                "focal_point_x",
                "focal_point_y",
                "focal_point_width",
                "focal_point_height",
            )
        )
    )
    # The payment methods the forms list and "Giving safely" describes.
    feed(configuration_shown())
    feed(code_fingerprint())
    return digest.hexdigest()


def shown_fingerprints() -> dict[str, str]:
    """A fingerprint of each of SHOWN's parts, from its rows."""
    fingerprints = {}
    for name, part in SHOWN.items():
        digest = hashlib.blake2b(digest_size=16)
        for model in part.models:
            _feed(digest, list(model.objects.order_by("pk").values_list()))
        fingerprints[name] = digest.hexdigest()
    return fingerprints


def _feed(digest, value: object) -> None:
    digest.update(repr(value).encode())
    digest.update(b"\0")


@functools.cache
def code_fingerprint() -> str:
    """The code, templates and translations that render the pages, as this process loaded them.

    Once per process: Python modules and Django's cached templates do not change under a running
    process when their files do, so a later run in the same process renders with this code.
    """
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parents[2]  # samizdat/
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".txt", ".xml", ".mo") and path.is_file():
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
