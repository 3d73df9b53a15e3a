"""List the bundled site profiles: name, what the site is (the profile's first comment line), the
hosts it may crawl and how many real example URLs back its patterns.

A profile that needs a value (`${date}` of an e-paper issue, `${base_url}` of the sample sites) says
which, with `--var NAME=VALUE` to give it.
"""

from __future__ import annotations

import argparse

HELP = "list the bundled site profiles and their hosts"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--var", action="append", metavar="NAME=VALUE", help="value for ${NAME} in the profiles")


def run(args: argparse.Namespace) -> int:
    from corpus.commands.options import name_value_pairs
    from crawler.profile import SITES_DIR, ProfileError, load_profile, variables_of

    variables = name_value_pairs(args.var, "--var")
    for path in sorted(SITES_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        about = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), "")
        missing = sorted(set(variables_of(text)) - set(variables))
        if missing:
            print(f"{path.stem:<14} {about}\n{'':<14} needs {' '.join(f'--var {v}=…' for v in missing)}")
            continue
        try:
            profile = load_profile(str(path), variables)
        except ProfileError as error:
            print(f"{path.stem:<14} BROKEN: {error}")
            continue
        examples = len(profile.examples)
        print(f"{path.stem:<14} {about}\n{'':<14} hosts {', '.join(profile.allowed_domains)}; "
              f"{examples} example URL{'s' if examples != 1 else ''}")
    return 0
