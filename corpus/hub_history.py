"""Withdrawn rows out of the Hub's history, not only out of its newest commit.

The Hub keeps every commit: the publish that deletes a file a withdrawal retired leaves it in the
commits before, where `load_dataset(repo, revision=<an older commit>)` or `hf_hub_download(...,
revision=...)` would still serve the row. So after that commit publish deletes the LFS objects that
held withdrawn rows for good, and has the Hub rewrite its history without them
(`HfApi.permanently_delete_lfs_files`, `rewrite_history=True`): the commits from the first that held
one onward get new ids without those files, and a revision pinned to one of the old ids no longer
resolves; the commits before keep their ids and their files. What is deleted:

- each data file that held a withdrawn row (`Ledger.held_withdrawn`: the file a withdrawal rewrote and
  every file it was rewritten from);
- each version of the sample (`sample/sample.parquet`) that a commit held beside one of those files: it
  is drawn from the files beside it and may hold the row. Versions from before the row arrived stay.

Nothing the head holds after the commit is deleted. Files that revisions alone retired keep their
history (an article's earlier version is no takedown), and so do the other drawn files (clusters hold
ids and counts, figures totals). Not found: an earlier version of a withdrawn article that a revision
had retired before the withdrawal, since the ledger does not say which rows a revision removed.

What to delete is read from the Hub (its LFS files, its commits) and the ledger, never kept from a run:
a publish stopped before or during the purge leaves it to the next publish, and once done there is
nothing left to find. The samples go first, the data files last: the data files left on the Hub are
what tells a later publish that a purge is unfinished.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from huggingface_hub import HfApi
    from huggingface_hub.hf_api import LFSFileInfo


def stored_objects(api: HfApi, repo_id: str) -> list[LFSFileInfo]:
    """The repo's LFS objects, read through the client's own pagination rather than `HfApi.list_lfs_files`:
    its LFSFileInfo needs a `filename`, which the Hub leaves out for an object no commit names (an upload
    that a killed publish never committed), and the listing would stop there with a KeyError."""
    from huggingface_hub.hf_api import LFSFileInfo
    from huggingface_hub.utils import build_hf_headers, paginate

    items = paginate(f"{api.endpoint}/api/datasets/{repo_id}/lfs-files", params={},
                     headers=build_hf_headers(token=api.token))
    return [LFSFileInfo(**{"filename": "", **item}) for item in items]


def samples_beside(api: HfApi, repo_id: str, held: set[str]) -> set[str]:
    """The sha256 of each sample version a commit held beside one of the `held` files, commit by commit
    from the newest back to the one before the oldest of them arrived (a data file's name is never used
    again, so each is in one unbroken stretch of commits)."""
    from corpus.card import SAMPLE_FILE  # not at the top: the card's libraries stay out of the CLI's start

    samples: set[str] = set()
    unseen = set(held)
    for commit in api.list_repo_commits(repo_id, repo_type="dataset"):
        entries = api.get_paths_info(repo_id, [*sorted(held), SAMPLE_FILE], revision=commit.commit_id,
                                     repo_type="dataset")
        present = {entry.path: entry.lfs.sha256 for entry in entries if getattr(entry, "lfs", None)}
        if held & present.keys():
            unseen -= present.keys()
            if SAMPLE_FILE in present:
                samples.add(present[SAMPLE_FILE])
        elif not unseen:
            break
    return samples


def withdrawn_versions(api: HfApi, repo_id: str, held_withdrawn: set[str], kept: set[str]) -> list[LFSFileInfo]:
    """The LFS objects to delete for good, samples first: the versions of the files that held withdrawn
    rows (`held_withdrawn`, from the ledger) still on the Hub, and the samples beside them; none whose
    sha256 is in `kept` (what the head holds)."""
    stored = [item for item in stored_objects(api, repo_id) if item.file_oid not in kept]
    data = [item for item in stored if item.filename in held_withdrawn]
    if not data:
        return []
    samples = samples_beside(api, repo_id, {item.filename for item in data})
    return [item for item in stored if item.file_oid in samples] + data
