"""Test support, outside the shipped package: an in-memory keyring and a plain copy."""
