"""Helpers every form shares."""

from django import forms
from django.core.exceptions import ValidationError

from taizhang.core.periods import Period, PeriodError


def add_service_errors(
    form: forms.Form, error: ValidationError, labels: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: on the named field when the form has it, else on top."""
    labels = labels or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            if field in form.fields:
                form.add_error(field, message)
            else:
                label = labels.get(field, field)
                form.add_error(None, f"{label}：{message}")


class PeriodField(forms.CharField):
    """A period code (2020, 2020H1, 2020Q3, 2020-05) cleaned into a Period."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return Period.parse(value)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from exc

    def prepare_value(self, value):
        return value.code if isinstance(value, Period) else value
