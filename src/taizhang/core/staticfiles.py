"""Static files with their content's hash in their names, compressed, and cached for ever.

``collectstatic`` (``make run`` runs it) copies every file to ``var/static`` under a name holding a
hash of its content (``app.3f2a9c1e.css``), with a gzip copy beside it (and Brotli with the brotli
package installed), and writes the
manifest of those names; WhiteNoise serves them with ``Cache-Control: max-age=…, immutable``, so a
browser never asks for one twice, and a new version of a file is a new name.

Where ``collectstatic`` has not run (the tests, a checkout served straight away), or a file came after
it, the page names the file as it is and WhiteNoise serves it from the app's own folder
(``WHITENOISE_USE_FINDERS``), revalidated rather than kept for ever.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not in the manifest: not collected (yet)
            return name
