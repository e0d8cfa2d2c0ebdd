"""Where users already are: the pytest plugin (`pytest --atg`), `atg eval changed` for pre-commit.

Nothing is re-exported here: pytest imports `agentic_testgen.integrations.pytest_plugin` in every
session of an environment where atg is installed, so this package stays free of imports.
"""
