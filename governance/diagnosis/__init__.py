"""Where a collaboration stands in the Ansell & Gash cycle, derived from its records.

Indicators (one small pure function each, over the plain rows of
:mod:`governance.cases.snapshot`), the diagnosis built from them (phase, bottleneck,
turns of the virtuous cycle, life cycle, warning signs), and their quarterly series.
Nothing here touches the database except :mod:`governance.diagnosis.service`.
"""
