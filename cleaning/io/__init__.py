"""Reading the raw archive and writing document files: the only code of `cleaning` that touches storage formats."""
