"""Measurements run by hand or with `make bench`; never part of `make test`."""
