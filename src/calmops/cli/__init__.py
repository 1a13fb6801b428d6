"""The ``calmops`` command line: a Typer root (``main.py``) and one module per command group."""
