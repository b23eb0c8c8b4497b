"""Hand-written documents read against the ledger with the extractor: a draft fact-checked
(``factcheck``, pure, and its page ``views``), a blank template filled (``fill``), a past summary's
figures seeded as aggregates (``seeding``); the ledger's side of each is read by ``queries``."""
