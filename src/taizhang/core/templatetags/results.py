"""``{% load results %}``: the key of a page fragment made of a unit's kept results (``core.stamps``).

    {% results_version unit as version %}
    {% cache 86400 unit-panel unit.pk period.code version %}…{% endcache %}

The version changes with every write in the unit's subtree, with the day (what is due, what a check
as of today finds) and with the page's language, so a kept fragment is never older than what it shows.
"""

from datetime import date

from django import template
from django.utils.translation import get_language

from taizhang.core import stamps

register = template.Library()


@register.simple_tag
def results_version(unit) -> str:
    return f"{stamps.version(unit.pk)}:{date.today():%Y%m%d}:{get_language()}"
