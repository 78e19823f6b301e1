"""``python -m indexer.cli``: the archive's commands without the web's ``serve``."""
import sys

from indexer.cli import main

sys.exit(main())
