"""A menu shows only what the role may open: every link in the main menu and on "Beheer" answers 200."""

import re

import pytest

PERSONAS = ["teacher", "mentor", "carla", "bea", "dirk", "anouk", "fiona", "bert", "zeno"]


def _nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


def _admin_links(html: str) -> list[str]:
    main = html.split('<main id="main"', 1)[1]
    return re.findall(r'href="([^"]+)"', main)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_link_opens_for_the_persona(world, persona):
    client = world.client_for(getattr(world, persona))
    home = client.get("/")
    assert home.status_code == 200
    links = _nav_links(home.content.decode())
    assert links, "the main menu shows at least 'Mijn acties'"
    opened = {}
    for url in links:
        opened[url] = client.get(url).status_code
        if url.rstrip("/").endswith("beheer-school"):
            for admin_url in _admin_links(client.get(url).content.decode()):
                opened[admin_url] = client.get(admin_url).status_code
    assert {url: code for url, code in opened.items() if code != 200} == {}


def test_behaviour_specialist_menu_offers_no_page_that_answers_404(world):
    """The issue's finding: Inzage and Briefsjablonen were offered to the gedragsspecialist and answered 404."""
    client = world.client_for(world.bea)
    html = client.get("/").content.decode()
    assert "Inzage" not in html
    admin = client.get("/beheer-school/")
    assert admin.status_code == 200
    assert "Briefsjablonen" not in admin.content.decode()
    assert "Inzageverzoeken" not in admin.content.decode()


def test_teacher_sees_no_beheer(world):
    client = world.client_for(world.teacher)
    assert "/beheer-school/" not in _nav_links(client.get("/").content.decode())
    assert client.get("/beheer-school/").status_code == 404
