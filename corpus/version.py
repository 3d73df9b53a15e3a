"""The installed zhnews-corpus version: what `--version` prints, the card states and the card's inputs
digest (a new version draws the card again). Light: the CLI's help imports it."""

from __future__ import annotations


def zhnews_version() -> str | None:
    """The version, or None when run from a checkout that was never installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zhnews-corpus")
    except PackageNotFoundError:
        return None
