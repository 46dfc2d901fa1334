"""English for the choice labels the explore pages show (mechanism categories, region kinds).

The record apps write their choice labels in Chinese as plain strings; these marks put the same
strings into explore's catalogue, and ``label()`` translates one at render time. A test checks that
every label of the models has an English entry, so a new category cannot go untranslated silently.
"""

from django.utils.translation import gettext, gettext_noop

MARKED = (
    gettext_noop("联席会议与会商"),
    gettext_noop("领导与组织机构"),
    gettext_noop("指挥调度"),
    gettext_noop("情报信息共享"),
    gettext_noop("联合行动与专项打击"),
    gettext_noop("执法办案协作"),
    gettext_noop("治安防控"),
    gettext_noop("应急联动"),
    gettext_noop("重大活动安保"),
    gettext_noop("政务服务"),
    gettext_noop("培训与人才交流"),
    gettext_noop("科技与数据"),
    gettext_noop("生态安全"),
    gettext_noop("综合性（成组方案）"),
    gettext_noop("大区域"),
    gettext_noop("跨界小区域"),
    gettext_noop("跨辖区协作区"),
)


def label(text) -> str:
    return gettext(str(text))
