"""`python -m samantha_bot`: the same as the `samantha` command."""
from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
