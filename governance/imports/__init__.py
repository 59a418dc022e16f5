"""Bringing spreadsheets in: stakeholders, relationships, participations, meetings with
attendance, attendance sheets, commitments with status, trust events, measurements.

:func:`governance.imports.service.run_import` reads a CSV or .xlsx file, matches its
columns (English or Indonesian headers), reads dates as Indonesian offices write
them, matches stakeholders by name or alias, and writes every row through the
services in one savepoint — all rows or none — with a report of every problem by row
and column.
"""
