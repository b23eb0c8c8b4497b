"""The browsable API's renderer, in a module of its own: DRF imports renderers while it builds
``APIView``, before a module that defines views (``core/api.py``) could finish importing."""

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API without its inline ``<style>`` (Pygments' colours for Markdown code in
    descriptions, which we do not write): the page then meets the site's content security policy."""

    def get_context(self, *args, **kwargs):
        context = super().get_context(*args, **kwargs)
        context["code_style"] = None
        return context
