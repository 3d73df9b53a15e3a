"""The layers hold: imports run one way (crawl → raw → docs → dataset), stages meet only at the contract
modules of `corpus/`, and the CLI's help loads none of the heavy libraries."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PACKAGES = ("crawler", "cleaning", "corpus")
# the contract layer: the file formats, the record and the data layout; it imports nothing else of ours
CONTRACT = {"corpus.record", "corpus.layout", "corpus.files", "corpus.warc_format", "corpus.crawl_report",
            "corpus.article_pages", "corpus.content_coding", "corpus.deadline", "corpus.withdrawn",
            "corpus.dataset_config", "corpus.run_stats"}
CLI = ("corpus.cli", "corpus.commands")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_imports(path: Path) -> set[str]:
    """Every module of ours that `path` imports, at the top or inside a function."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from cleaning.eval import baselines` imports the module cleaning.eval.baselines
            names = [f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in PACKAGES)
    return found


def is_module(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def within(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def allowed(importer: str, imported: str) -> bool:
    if within(imported, *CLI):
        return within(importer, *CLI)  # nothing imports the CLI but the CLI
    if importer in CONTRACT:
        return imported in CONTRACT
    if within(importer, "cleaning.text"):
        return within(imported, "cleaning.text")  # pure functions: self-contained
    if within(importer, "crawler"):
        return within(imported, "crawler") or imported in CONTRACT
    if within(importer, "cleaning"):
        return within(imported, "cleaning") or imported in CONTRACT
    if within(importer, *CLI):
        return True  # the commands wire the stages together
    return within(imported, "corpus")  # build, card: the last stages read files, never import earlier ones


def source_files() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (REPO / package).rglob("*.py"))


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_imports_follow_the_layers(path: Path) -> None:
    importer = module_name(path)
    wrong = sorted(name for name in our_imports(path) if name != importer and not allowed(importer, name))
    assert not wrong, f"{importer} may not import {wrong}"


def test_the_rules_catch_a_violation() -> None:
    """The checker itself: a step importing the crawler, the contract importing a stage, text importing a step."""
    assert not allowed("cleaning.steps.decode", "crawler.warc")
    assert not allowed("corpus.layout", "cleaning.config")
    assert not allowed("cleaning.text.credits", "cleaning.steps.base")
    assert not allowed("corpus.build", "cleaning.pipeline")
    assert not allowed("cleaning.run.run", "corpus.commands.process")
    assert allowed("cleaning.run.run", "corpus.layout") and allowed("corpus.commands.demo", "crawler.run")


@pytest.mark.parametrize("argv", [["--help"], ["crawl", "--help"], ["process", "--help"]], ids=" ".join)
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    probe = ("import sys\nfrom corpus.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
             "print(sorted({m.split('.')[0] for m in sys.modules}))") % (argv,)
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(result.stdout.strip().splitlines()[-1]))
    assert "usage: zhnews" in result.stdout
    assert not loaded & {"trafilatura", "datasets", "scrapy", "pyarrow", "lxml", "ftfy"}


# the side-files between stages and the one module that reads and writes them (typed records)
SIDE_FILES = re.compile(
    r"\.(?:run_summary|dedup_stats|superseded|reprints|shard_stats|site_snapshots?|phase_marker|marker)\(")
RAW_JSON = re.compile(r"json\.loads|json\.load\(|read_json|write_json|read_text|write_text")


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_side_files_are_read_and_written_only_through_their_records(path: Path) -> None:
    if module_name(path) == "corpus.run_stats":
        return
    raw = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
           if SIDE_FILES.search(line) and RAW_JSON.search(line)]
    assert not raw, f"{path.name} reads or writes a run's side-file as raw JSON: use corpus/run_stats.py: {raw}"
