"""What the ledger asks of the apps above it.

``counting``: whether an activity counts toward the requirements that read it, and if not what it
lacks, worded once (``rules.counting``, registered by ``rules.apps`` when it is ready). The record
page, the list, the form, the API and the import's check all ask here, so they word it the same as
the matrix without the ledger importing the rules above it.
"""

from taizhang.core.hooks import Hooks

counting = Hooks("ledger.hooks.counting", "the rules app (rules.counting)")
