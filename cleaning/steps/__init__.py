"""The processing steps, one job each (`base.py` is the contract); `cleaning/pipeline.py` orders them."""
