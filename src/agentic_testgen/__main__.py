"""`python -m agentic_testgen` runs the `atg` command."""

from agentic_testgen.cli import main

main()
