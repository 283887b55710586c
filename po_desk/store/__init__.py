"""The encrypted store: the only package that speaks SQL or opens sessions."""
