"""Nothing lost: the whole database as a JSON document, and consistent backups and restores.

:mod:`governance.backup.dump` turns every table into JSON-ready rows and loads them back
exactly; :mod:`governance.backup.backup` copies a running database to a file (SQLite's
online backup, or that JSON document read in one snapshot) and restores such a file.
"""
