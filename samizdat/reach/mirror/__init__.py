"""Static mirrors: the whole public site as files that any static host can serve.

`build_mirror(MirrorOptions(...))` renders every public page of every language edition in
process, through Django's test client with the Host set to the site's primary address (so the
pages are exactly what readers get), rewrites every link to the site's own pages and files to
the mirror's base URL (or to relative paths), and writes the result into a folder. Addresses
shown as other ways in (the onion host, the alternate domains, other mirrors) stay as they are.

    index.html                       sends readers to the default language (meta refresh)
    404.html                         for hosts that serve one
    en/index.html                    /en/
    en/news/index.html               /en/news/
    en/news/page/2/index.html        /en/news/?page=2 (a static host ignores query strings)
    en/news/some-story/index.html    /en/news/some-story/
    en/tags/ferries/index.html       /en/tags/ferries/
    en/support/giving-safely/index.html   /en/support/giving-safely/ (the donation form links to it)
    en/feed/rss.xml, en/feed/atom.xml, en/news/feed/rss.xml …   full-text feeds
    sitemap.xml, sitemap-news.xml, robots.txt
    media/…                          every image rendition a page or feed refers to
    static/…                         the stylesheets and scripts pages load, and what they load
    favicon.ico                      the site's root files (settings.WHITENOISE_ROOT)
    en/support/goal.svg              the month's goal, which every page shows (mirror_goal.py)

Feeds and sitemaps end in .xml, so every static host sends them as XML without configuration
(a feed at feed/rss/index.html would go out as text/html).

Dynamic addresses (checkout, "Remind me later", newsletter sign-up, search, view counts) have
no static copy: links to them go to the "dynamic origin" (SAMIZDAT_CHECKOUT_URL), a reachable
address of the running application. Without one the search form is left out (a static host
cannot answer it), and `mirror build` refuses to build unless told to leave every form out
(`forms=False`, mirror_forms.py), when a note on how to give takes their place.

A build is made beside the output folder and swapped in whole once every page rendered; a page
that does not render fails it (`BuildFailed`), and the previous folder stays as it was.

Incremental: a manifest (.samizdat-mirror.json in the output folder, left out of the archive;
it holds addresses and hashes, nothing private) remembers each page's published revision, each
file's hash, and which pages every file links to. The next run renders only what a change can
have touched (`Dependencies`, manifest.py) and writes only files whose bytes changed.

Rendering costs what a page view costs; `MirrorOptions.jobs` renders in several processes.

The package, each module importing only those below it:

    builder.py     one run: what to render, writing it, swapping the build in (MirrorBuilder)
    scheduler.py   rendering in this process or in forked ones, each kept to its part of the site
    rewriter.py    every address of the site in a rendered file, to its place on the mirror
    manifest.py    what the last build wrote, and which files a change can have touched
    files.py       files written whole, the staging folder and its swap, media and static files
    plan.py        the options and report, and every page, feed and sitemap the site has
"""

from .builder import MirrorBuilder, build_mirror, write_archive
from .manifest import MANIFEST_NAME, Manifest
from .plan import (
    BuildFailed,
    MirrorOptions,
    Plan,
    Progress,
    Report,
    Target,
    make_plan,
    page_file,
    primary_site,
)
from .rewriter import Produced

__all__ = [
    "MANIFEST_NAME",
    "BuildFailed",
    "Manifest",
    "MirrorBuilder",
    "MirrorOptions",
    "Plan",
    "Produced",
    "Progress",
    "Report",
    "Target",
    "build_mirror",
    "make_plan",
    "page_file",
    "primary_site",
    "write_archive",
]
