"""Pure text functions for Chinese-aware repair and furniture removal, one module per job.

Nothing here knows about `Document` or imports anything outside this folder: `cleaning/steps/text.py`
wraps these functions in steps, and `cleaning/run/plain_text.py` runs the same steps on plain text.
"""
