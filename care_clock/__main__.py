import sys

from care_clock.cli import main

# Guarded: the action server imports every module of the actions package.
if __name__ == "__main__":
    sys.exit(main())
