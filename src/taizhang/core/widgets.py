"""Widgets drawn in Python with the markup of Django's own templates: a filter form's selects and
inputs through the template engine cost a list page more than its queries."""

from html import escape as _escape  # what django.utils.html.escape does, without its lazy wrapper

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.widgets import Input
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from taizhang.core import stamps


def _conditional_escape(value) -> str:
    """django.utils.html.conditional_escape without its lazy wrapper and SafeString per call."""
    return value.__html__() if hasattr(value, "__html__") else _escape(str(value))


def _html_attrs(attrs: dict) -> str:
    """A widget's attributes as Django's ``attrs.html`` writes them (True: the name alone; False: left
    out), escaped as ``format_html`` would (each attribute through it cost a filter form's select
    more than its options)."""
    return mark_safe(
        "".join(
            f" {_conditional_escape(name)}"
            + ("" if value is True else f'="{_conditional_escape(str(value))}"')
            for name, value in attrs.items()
            if value is not False
        )
    )


class PlainSelect(forms.Select):
    """Django's select, drawn in Python with the same markup as its templates (``select.html`` and a
    ``select_option.html`` per option): each option through the template engine cost a list page
    more than its query (a filter form's kind and ordering selects: 2 ms of 20)."""

    def listed(self, chosen: list[str]) -> list:
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            # its rows in one read: iterated, it counts them first, and on PostgreSQL walks them
            # through a server-side cursor (three more round trips)
            empty = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
            return empty + [choices.choice(row) for row in choices.queryset.all()]
        return list(choices)

    def more_attrs(self) -> dict:
        return {}

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        choices = self.listed(chosen)
        if self.allow_multiple_selected or any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)  # groups or several chosen: Django's own
        attrs = {**(attrs or {}), **self.more_attrs()}
        chosen = set(chosen)
        parts = [format_html('<select name="{}"{}>', name, _html_attrs(self.build_attrs(self.attrs, attrs)))]
        found = False  # as Django: only the first option of the chosen value is marked
        for code, label in choices:
            code = str(code)
            selected = not found and code in chosen
            found = found or selected
            parts.append(
                f'\n  <option value="{_escape(code)}"{" selected" if selected else ""}>{_escape(str(label))}</option>\n'
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class VocabularySelect(PlainSelect):
    """The select of a model choice over a whole vocabulary table (the activity kinds): its rows read
    once per process until the deployment's generation moves (``core.stamps``: every write of a
    vocabulary moves it), not a query a page. Only for a field whose queryset is the whole table."""

    def listed(self, chosen: list[str]) -> list:
        choices = self.choices
        empty = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
        return empty + [choices.choice(row) for row in stamps.vocabulary_rows(choices.queryset.model)]


class PlainInput(Input):
    """An input drawn in Python with the markup of Django's ``input.html`` and ``attrs.html``: a
    filter form's period, day and search boxes through the template engine cost a list page more
    than a query each."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else format_html(' value="{}"', str(value))
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            self.input_type,
            name,
            shown,
            _html_attrs(self.build_attrs(self.attrs, attrs)),
        )


class PlainTextInput(PlainInput, forms.TextInput):
    """Django's text input, drawn in Python (``PlainInput``)."""
