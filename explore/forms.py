from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regions.models import Region

# Side by side, more than six columns no longer fit a laptop screen, let alone a phone.
MAX_COMPARED = 6


class CompareForm(forms.Form):
    region = forms.ModelMultipleChoiceField(
        queryset=Region.objects.order_by("pk"),
        to_field_name="slug",
        error_messages={
            "invalid_choice": _("没有 slug 为「%(value)s」的区域。"),
            "required": _("请至少选择两个区域。"),
        },
    )

    def clean_region(self):
        regions = self.cleaned_data["region"]
        if len(regions) < 2:
            raise ValidationError(_("请至少选择两个区域（现只选了一个）。"), code="too_few")
        if len(regions) > MAX_COMPARED:
            raise ValidationError(
                _("最多同时比较 %(max)s 个区域（收到 %(count)s 个）。"),
                code="too_many",
                params={"max": MAX_COMPARED, "count": len(regions)},
            )
        return regions

    def chosen_slugs(self) -> list[str]:
        """The chosen regions in the order the user gave them, each once."""
        seen = []
        for slug in self.data.getlist("region"):
            if slug not in seen:
                seen.append(slug)
        return seen
