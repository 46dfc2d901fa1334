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


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Chinese).

    A request for English activates English in the test's thread and LocaleMiddleware leaves it
    active after the response, so a lazy message read later (a loader's error, say) would be
    English because of an earlier test.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_response_cache():
    """Each test starts with an empty cache, so a response cached by another test never counts here.

    Two tests that write nothing see the same revision, and so share cached answers: right for
    users (same data, same answer), but it would make one test's query count depend on another.
    """
    from django.core.cache import caches

    caches["default"].clear()
