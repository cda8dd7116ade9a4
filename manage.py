#!/usr/bin/env python
from samizdat.cli import main

if __name__ == "__main__":
    main()
