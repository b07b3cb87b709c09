"""``python -m polku.cli``: the ``polku`` command."""

import sys

from polku.cli.commands import main

if __name__ == "__main__":  # imported by name (a walk over the package), it does nothing
    sys.exit(main())
