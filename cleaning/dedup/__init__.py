"""The dedup stage (`zhnews dedup`): same URL, same text, near-duplicate text, across runs."""
