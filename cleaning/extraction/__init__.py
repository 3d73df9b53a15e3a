"""Main-content extraction: robust parsing, furniture pruning, candidate choice, Chinese metadata."""
