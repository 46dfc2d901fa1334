"""Events: the dated happenings a researcher reads on the timeline."""

from django.db import models
from django.db.models import OuterRef

from agreements.models import Agreement
from mechanisms.models import Mechanism
from records.dates import PartialDate, PartialDateModel
from records.links import slug_url
from records.models import CitedRecord
from records.querysets import RegionalRecordQuerySet, refs
from regions.models import Region, stage_for


class EventQuerySet(RegionalRecordQuerySet):
    def with_related(self):
        """Everything an event's page or API record shows: ``regions_list``, ``agreements_list``,
        ``mechanisms_list``, ``citations_list`` and ``derived_stage``."""
        pk = OuterRef("pk")
        return self.with_citations().with_stage().annotate(
            agreements_list=refs(Agreement.objects.filter(events=pk).order_by("pk"), "title"),
            mechanisms_list=refs(Mechanism.objects.filter(events=pk).order_by("pk"), "name"),
        )


    def for_timeline(self):
        """What a timeline mark shows: title, date and end date, ``regions_list`` and ``derived_stage``."""
        return self.with_stage().defer("description")


class Event(PartialDateModel, CitedRecord):
    title = models.CharField("标题", max_length=200)
    # Some happenings span months (paper 2 section 三、(一): 「2019年5月至2020年10月」).
    end_year = models.PositiveSmallIntegerField("结束年", null=True, blank=True)
    end_month = models.PositiveSmallIntegerField("结束月", null=True, blank=True)
    end_day = models.PositiveSmallIntegerField("结束日", null=True, blank=True)
    regions = models.ManyToManyField(Region, related_name="events", blank=True, verbose_name="区域")
    agreements = models.ManyToManyField(Agreement, related_name="events", blank=True, verbose_name="相关文件")
    mechanisms = models.ManyToManyField(Mechanism, related_name="events", blank=True, verbose_name="相关机制")
    description = models.TextField("说明", blank=True)

    objects = EventQuerySet.as_manager()

    class Meta(PartialDateModel.Meta):
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "大事记"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("timeline:event", self.slug)

    @property
    def end_date(self) -> PartialDate:
        return PartialDate(self.end_year, self.end_month, self.end_day)

    @end_date.setter
    def end_date(self, value: PartialDate) -> None:
        self.end_year, self.end_month, self.end_day = value.year, value.month, value.day

    @property
    def date_display(self) -> str:
        if self.end_year is None:
            return self.date.display
        return f"{self.date.display}至{self.end_date.display}"

    @property
    def stage(self):
        return stage_for(self.regions.all(), self.date)
