import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the real curated dataset, loaded once per test database."""
    with django_db_blocker.unblock():
        call_command("load_portal_data", "--skip-quote-check", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture
def sources_dir():
    if not settings.PORTAL_SOURCES_DIR.is_dir():
        pytest.skip(f"the papers' texts are not at PORTAL_SOURCES_DIR ({settings.PORTAL_SOURCES_DIR})")
    return settings.PORTAL_SOURCES_DIR
