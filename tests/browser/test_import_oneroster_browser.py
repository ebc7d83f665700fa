"""A OneRoster bundle with two schools and no homerooms, imported through the pages on a phone."""

import pytest

from schools.models import GroupMembership
from tests.schools import oneroster_bundles as b

from .conftest import log_in
from .test_accessibility import _check_page
from .test_admin_pages_browser import phone  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_oneroster_org_and_grouping_are_chosen_in_the_preview_on_a_phone(world, phone):  # noqa: F811
    log_in(phone, "fiona@beekdal.test")
    phone.get_by_role("heading", name="Mijn acties").wait_for()
    phone.goto("/import/")
    zipped = b.to_zip(b.two_orgs_11(scheduled_only=True))
    phone.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "export.zip", "mimeType": "application/zip", "buffer": zipped}]
    )
    phone.get_by_role("button", name="Bestand controleren").click()
    phone.get_by_label("Welke school in de bundel is deze school?").wait_for()
    _check_page(phone, "oneroster options")
    phone.get_by_label("Welke school in de bundel is deze school?").select_option("org-a")
    phone.get_by_label("Eén groep per leerjaar").check()
    phone.get_by_role("button", name="Voorbeeld bijwerken").click()
    phone.get_by_role("heading", name="Voorbeeld: dit verandert er").wait_for()
    _check_page(phone, "oneroster preview")
    phone.get_by_role("button", name="Import uitvoeren").click()
    phone.get_by_role("heading", name="Verwerkt").wait_for()
    assert GroupMembership.objects.filter(
        student__school=world.school, student__student_number="1003", group__name="Leerjaar 3"
    ).exists()
