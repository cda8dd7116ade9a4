from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PhotoFactory


def test_probe(newsroom, client):
    vera = newsroom.author("Vera Test")
    ivan = newsroom.author("Ivan Test")
    photo = PhotoFactory()

    def make(n):
        for i in range(n):
            p2 = PhotoFactory()
            body = [
                ("paragraph", "<p>x</p>"),
                ("image", {"image": p2, "caption": ""}),
                ("image", {"image": photo, "caption": ""}),
            ]
            newsroom.article(f"S{i}", authors=[vera, ivan], tags=["bridges", f"t{i}"], lead_image=PhotoFactory(), body=body)

    url = newsroom.homes["en"].url + "feed/rss/"
    make(3)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    n1 = len(ctx.captured_queries)
    make(3)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    for q in ctx.captured_queries:
        print(q["sql"][:200])
    print(n1, len(ctx.captured_queries))
