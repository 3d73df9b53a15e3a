"""Sub-commands of `zhnews`. Each module has HELP, a docstring, add_arguments(parser) and run(args)."""
