"""Processing: archived responses → clean documents. `pipeline.py` composes the steps (`steps/`)
with the defaults of `config.py`; `run/` executes them over a crawl run's shards."""
