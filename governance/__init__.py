"""collabgov's domain: the records of a collaboration and what is derived from them.

Nothing in this package imports the web stack; the web layer lives in ``api``.
"""
