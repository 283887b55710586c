"""Pure domain rules: no Qt, no SQL, standard library only."""
