"""Pure text functions for Chinese-aware repair and furniture removal, one module per job.

Nothing here knows about `Document`: `cleaning/text_steps.py` wraps these functions in steps, and
`cleaning/text_mode.py` runs the same steps on plain text files.
"""
