"""The API's schema and its documentation page.

A module of its own: drf-spectacular's views read the schema class (``core/api.py``) while they are
defined, so they cannot be imported from there.
"""

from django.utils.http import content_disposition_header
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, downloaded under a file name every browser reads.

    drf-spectacular names the file after the title ("台账 API.yaml") and writes it raw into
    ``Content-Disposition``: a header holds Latin-1 only, so the name arrived garbled. Django's
    ``content_disposition_header`` writes an ASCII fallback and the RFC 6266 ``filename*`` form.
    """

    def _get_schema_response(self, request):
        response = super()._get_schema_response(request)
        filename = self._get_filename(request, self.api_version or request.version)
        response["Content-Disposition"] = content_disposition_header(False, filename)
        return response


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), behind the login.

    The split view serves its start-up script as a separate request (``?script``) instead of an
    inline ``<script>``, and our template drops drf-spectacular's inline ``<style>``, so the page
    meets the same content security policy as every other page.
    """

    template_name = "core/api_docs.html"
    url_name = "api-schema"
