"""The case report: one collaboration told along the Ansell & Gash model.

Plain data built by pure functions over the diagnosis, the researchers' coded scores,
their agreement and the case's rows (``build``), rendered to Markdown (``markdown``)
in either language through a :class:`~governance.report.wording.Wording`. Only
``service`` reads the database.
"""
