"""``python -m libkurs``: the same as the ``libkurs`` command."""

import sys

from libkurs.cli import main

sys.exit(main())
