"""Tools for developers, outside the shipped package: the benchmark and its probes."""
