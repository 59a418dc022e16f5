"""collabgov's web layer: the FastAPI app, its JSON API and (later) its pages."""
