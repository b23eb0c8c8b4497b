"""Template filters every page may use: ``{% load taizhang %}``."""

from django import template

from taizhang.core.history import user_name as _user_name

register = template.Library()


@register.filter
def user_name(user) -> str:
    """A login as people know it: ``{{ version.saved_by|user_name }}`` gives the person's name."""
    return _user_name(user)
