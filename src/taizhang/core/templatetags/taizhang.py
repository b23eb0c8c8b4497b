"""Template filters every page may use: ``{% load taizhang %}``."""

from django import template

from taizhang.core.history import user_name as _user_name
from taizhang.core.i18n import localized

register = template.Library()


@register.filter
def user_name(user) -> str:
    """A login as people know it: ``{{ version.saved_by|user_name }}`` gives the person's name."""
    return _user_name(user)


@register.filter
def local(item) -> str:
    """A framework item's name in the page's language: ``{{ rule|local }}`` (a requirement's
    ``title``/``title_en``, an area's or a kind's ``name``/``name_en``)."""
    if hasattr(item, "title_en"):
        return localized(item.title, item.title_en)
    if hasattr(item, "name_en"):
        return localized(item.name, item.name_en)
    return str(item)
