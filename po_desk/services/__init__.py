"""Use cases: what the GUI and the CLI ask of the store, with the domain rules applied."""
