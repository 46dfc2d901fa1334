"""Production serves static files under content-hashed names from collectstatic's manifest (issue 10).

A hashed name changes whenever the file does, so whitenoise can let browsers keep it for a year and
a deploy never leaves a reader with yesterday's stylesheet. The run below is what `make serve` does:
collectstatic, then the production settings answer from its manifest.
"""

import json
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from tests.servers import production_environment_without_tables

SCRIPT = """
import django, json, re; django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
page = client.get('/agreements/', secure=True, HTTP_HOST='portal.example.org')
css = re.search(r'href="(/static/portal/errors[^"]*\\.css)"', page.content.decode()).group(1)
sheet = client.get(css, secure=True, HTTP_HOST='portal.example.org', HTTP_ACCEPT_ENCODING='gzip')
print('ANSWER', json.dumps({'css': css, 'status': sheet.status_code, 'cache': sheet.get('Cache-Control', ''),
                            'encoding': sheet.get('Content-Encoding', '')}))
"""


@pytest.mark.django_db
def test_production_pages_link_hashed_compressed_static_files_cached_for_a_year():
    # A database without the portal's tables: the 500 page is the one page that needs no data.
    env = production_environment_without_tables()
    run = {"env": env, "capture_output": True, "text": True, "cwd": settings.BASE_DIR, "timeout": 300}
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], **run)
    assert collected.returncode == 0, collected.stderr

    result = subprocess.run([sys.executable, "-c", SCRIPT], **run)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.splitlines()[-1].removeprefix("ANSWER "))

    # errors.<12 hex digits>.css: the manifest's name, not the source file's.
    assert answer["css"].startswith("/static/portal/errors.") and len(answer["css"].split(".")) == 3, answer
    assert answer["status"] == 200
    assert "max-age=315360000" in answer["cache"] and "immutable" in answer["cache"], answer
    assert answer["encoding"] == "gzip"


def test_an_error_page_that_cannot_render_still_gives_the_request_id(rf, settings):
    from django_guid import clear_guid, set_guid

    from portal import errors

    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]  # no error template found
    request_id = uuid.uuid4().hex
    set_guid(request_id)
    try:
        response = errors.server_error(rf.get("/agreements/"))
    finally:
        clear_guid()
    body = response.content.decode()
    assert response.status_code == 500
    assert f"请求编号: <code>{request_id}</code>" in body
