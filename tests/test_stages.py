"""A record's stage is derived from its date and regions (paper 1 section 一 gives 京津冀's stages)."""

import pytest

from agreements.models import Agreement
from records.dates import PartialDate
from regions.models import Region, Stage, stage_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def jjj():
    return Region.objects.get(name="京津冀")


def stage_name(regions, text):
    stage = stage_for(regions, PartialDate.parse(text))
    return stage.name if stage else None


def test_jjj_has_the_three_stages_of_paper_1_and_the_period_before(jjj):
    stages = list(jjj.stages.order_by("order").values_list("name", "start_year", "end_year"))
    assert [s[1:] for s in stages] == [(None, 2013), (2014, 2016), (2017, 2019), (2020, None)]
    assert stages[1][0] == "固化成效阶段" and stages[2][0] == "深化合作阶段" and stages[3][0] == "创新发展阶段"


@pytest.mark.parametrize(
    ("date", "expected"),
    [("2016-01", "固化成效阶段"), ("2017", "深化合作阶段"), ("2019", "深化合作阶段"), ("2024", "创新发展阶段")],
)
def test_a_dated_jjj_record_falls_in_the_stage_covering_its_year(jjj, date, expected):
    assert stage_name([jjj], date) == expected


def test_a_record_known_only_to_be_before_2014_falls_in_the_early_period(jjj):
    assert stage_name([jjj], "before:2014") == Stage.objects.get(region=jjj, end_year=2013).name


def test_an_undated_record_has_no_stage(jjj):
    assert stage_name([jjj], None) is None


def test_a_sub_region_inherits_the_stages_of_the_region_it_sits_in(jjj):
    child = jjj.children.first()
    assert child is not None, "the dataset names small regions inside 京津冀 (e.g. 通武廊)"
    assert stage_name([child], "2017") == "深化合作阶段"


def test_a_region_without_stages_gives_no_stage():
    csj = Region.objects.get(name="长三角")
    assert stage_name([csj], "2010-11") is None


def test_the_framework_agreement_is_derived_into_the_consolidation_stage():
    agreement = Agreement.objects.named("框架协议").get()
    assert agreement.stage.name == "固化成效阶段"


def test_stage_queryset_filter_matches_the_derived_stage_of_every_agreement():
    for stage in Stage.objects.all():
        in_stage = set(Agreement.objects.in_stage(stage).values_list("slug", flat=True))
        derived = {a.slug for a in Agreement.objects.all() if a.stage == stage}
        assert in_stage == derived, stage.name
