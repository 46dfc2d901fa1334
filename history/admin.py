"""The history in the admin: every change of every record, and a restore from any of them.

django-pghistory's events admin lists the events of all tables at once with their diffs; this
class adds the columns editors asked for (who, from where, through which road) and the restore
action. Each record's change page links here with the record's own events (templates/admin/).
"""

from django.contrib import admin, messages
from django.utils.html import format_html_join
from pghistory.admin import EventsAdmin

from . import services

LABELS = {"insert": "新建", "update": "修改", "delete": "删除"}


class RecordChangeAdmin(EventsAdmin):
    actions = ["restore_selected"]
    list_display_links = None

    def get_list_display(self, request):
        return ["pgh_created_at", "operation", "record", "who", "address", "via", "changes"]

    def has_view_permission(self, request, obj=None):
        # Editors read the history: anyone with staff access to the dataset's records.
        return request.user.is_active and request.user.is_staff

    @admin.display(description="操作", ordering="pgh_label")
    def operation(self, event):
        return LABELS.get(event.pgh_label, event.pgh_label)

    @admin.display(description="记录")
    def record(self, event):
        return f"{event.pgh_obj_model}:{event.pgh_obj_id}"

    @admin.display(description="用户")
    def who(self, event):
        context = event.pgh_context or {}
        return context.get("username") or context.get("os_user") or "—"

    @admin.display(description="改动")
    def changes(self, event):
        diff = event.pgh_diff or {}
        if not diff:
            data = event.pgh_data or {}
            return format_html_join("", "<div>{}：{}</div>", ((k, str(v)[:80]) for k, v in data.items()))
        return format_html_join(
            "", "<div>{}：{} → {}</div>", ((k, str(old)[:80], str(new)[:80]) for k, (old, new) in diff.items())
        )

    @admin.action(description="把所选记录恢复为该历史中的状态")
    def restore_selected(self, request, queryset):
        if not request.user.has_perm("history.restore_recordchange") and not request.user.is_superuser:
            self.message_user(request, "只有有恢复权限的编辑才能恢复记录。", messages.ERROR)
            return
        try:
            events = [services.event_from_slug(slug) for slug in queryset.values_list("pgh_slug", flat=True)]
            restored = services.restore(*events)
        except services.RestoreError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"已恢复：{restored}", messages.SUCCESS)
