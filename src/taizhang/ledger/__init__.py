"""The ledger itself: activities, who attended them, and members' study reflections."""
