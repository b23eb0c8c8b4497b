"""The leaders' dashboard, the clerks' home page and the unit page: what the ledger, the rules engine
and the practice modules hold, gathered for a scope. It reads every module below it and is read by
none of them."""
