"""Reading the sitemap as a search engine does: the index, then every page of every section."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_pages(client) -> list[str]:
    """The addresses (path and query) of the sitemaps ``/sitemap.xml`` lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    pages = []
    for location in root.iter(f"{SITEMAP}loc"):
        parts = urlsplit(location.text)
        pages.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return pages


def sitemap_urls(client) -> dict[str, str | None]:
    """Every address in the sitemap, with its ``lastmod`` (None where it gives none)."""
    urls = {}
    for page in sitemap_pages(client):
        response = client.get(page)
        assert response.status_code == 200, page
        root = ET.fromstring(response.content)
        assert root.tag == f"{SITEMAP}urlset"
        urls |= {
            url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.findall(f"{SITEMAP}url")
        }
    return urls


def sitemap_text(client) -> str:
    """The index and every sitemap it lists, as one text."""
    return "\n".join(client.get(page).content.decode() for page in ["/sitemap.xml", *sitemap_pages(client)])
