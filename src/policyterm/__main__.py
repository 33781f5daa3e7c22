"""`python -m policyterm` runs the same entry point as the console script."""

import sys

from policyterm.cli import main

sys.exit(main())
