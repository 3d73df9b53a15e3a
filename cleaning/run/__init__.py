"""Running the pipeline: one shard (`shard.py`), a whole crawl run (`run.py`), on an executor (`executor.py`)."""
