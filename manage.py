#!/usr/bin/env python3
"""Django's usual entry point; `saferhub` (saferhub/cli.py) does the same."""

from saferhub.cli import main

if __name__ == "__main__":
    main()
