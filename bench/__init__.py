"""`make bench`: benchmark scripts that print figures (see bench/README.md)."""
