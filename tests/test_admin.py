"""Staff curate every model in the admin, with search, filters and citations beside the record."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

# The curated records; django-axes' login attempts are the lock-out's log (tests/test_editors.py).
MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label not in {"auth", "axes"}),
    key=lambda m: m._meta.label,
)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "curator@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_model_has_a_searchable_changelist(staff_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert staff_client.get(url, {"q": "京津冀"}).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_record_opens_in_its_change_form(staff_client, model):
    obj = model.objects.first()
    assert obj is not None
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    assert staff_client.get(url).status_code == 200


def test_cited_records_edit_their_citations_inline(staff_client):
    from agreements.models import Agreement

    agreement = Agreement.objects.named("框架协议").get()
    page = staff_client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk])).content.decode()
    assert agreement.citations.first().quote in page


@pytest.mark.parametrize(
    "app_model",
    ["agreements.agreement", "mechanisms.mechanism", "regions.region", "timeline.event", "findings.finding", "findings.figure", "sources.source"],
)
def test_curated_models_are_registered_with_search_and_filters(app_model):
    model = next(m for m in MODELS if m._meta.label_lower == app_model)
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_filter
