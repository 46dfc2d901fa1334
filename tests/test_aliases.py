"""One real-world agreement is one record: each wording a paper uses points to exactly one agreement."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Agreement, AgreementAlias

pytestmark = pytest.mark.django_db


def test_both_papers_wordings_of_the_framework_agreement_name_one_record():
    paper_1 = Agreement.objects.named("《京津冀警务协同发展的框架协议》").get()
    paper_2 = Agreement.objects.named("京津冀警务协同发展框架协议").get()
    short = Agreement.objects.named("框架协议").get()
    assert paper_1.pk == paper_2.pk == short.pk
    assert paper_1.date.display == "2016年1月"
    assert {c.source.slug for c in paper_1.citations.all()} == {"yang-xin-2025", "cq-police-assoc-2026"}


def test_no_alias_is_another_agreements_title():
    titles = dict(Agreement.objects.values_list("title", "pk"))
    clashes = [a.name for a in AgreementAlias.objects.all() if titles.get(a.name, a.agreement_id) != a.agreement_id]
    assert clashes == []


def test_the_database_refuses_an_alias_given_to_two_agreements():
    first, second = Agreement.objects.all()[:2]
    AgreementAlias.objects.create(agreement=first, name="测试用别称")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementAlias.objects.create(agreement=second, name="测试用别称")


def test_an_alias_that_is_another_agreements_title_fails_validation():
    first, second = Agreement.objects.all()[:2]
    alias = AgreementAlias(agreement=first, name=f"《{second.title}》")
    with pytest.raises(ValidationError, match="另一份文件"):
        alias.full_clean()
