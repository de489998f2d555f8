"""`python -m inclusion_standards`: the `nis` command."""
from .cli import run

run()
