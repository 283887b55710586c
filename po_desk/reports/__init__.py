"""Rendering report data (PDF, JSON, CSV); imports only the domain."""
