"""Help texts and error messages that a field names in aria-describedby are on the page (WCAG 1.3.1 / 4.1.2)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _missing_ids(html: str) -> list[str]:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    wanted = {i for refs in re.findall(r'aria-describedby="([^"]+)"', html) for i in refs.split()}
    return sorted(wanted - ids)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("fiona", "/dossier/logboeksjablonen/nieuw/"),
        ("carla", "/dossier/leerling/{sanne}/bewaarstop/"),
        ("mentor", "/dossier/leerling/{sanne}/logboek/nieuw/"),
        ("carla", "/dossier/leerling/{sanne}/documenten-ondertekenen/nieuw/"),
        ("mentor", "/dossier/leerling/{sanne}/documenten/nieuw/"),
        ("fiona", "/schoolkalender/"),
        ("fiona", "/api-sleutels/"),
    ],
)
def test_every_aria_describedby_id_is_on_the_page_also_after_an_error(world, persona, url):
    client = world.client_for(getattr(world, persona))
    url = url.format(sanne=world.sanne.pk)
    page = client.get(url)
    assert page.status_code == 200, url
    assert _missing_ids(page.content.decode()) == []
    posted = client.post(url, {})
    assert _missing_ids(posted.content.decode()) == [], url
