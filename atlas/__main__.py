"""``python -m atlas`` — the command line (see :mod:`atlas.cli`)."""

import sys

from atlas.cli.main import main

sys.exit(main())
