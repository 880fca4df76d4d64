"""`python -m samantha_bot`: the same as the `samantha` command."""
from __future__ import annotations

import sys

from .cli import run

sys.exit(run())
