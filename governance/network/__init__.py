"""The stakeholder network: layers of ties, who brokers them, how they change, and exports.

- :mod:`.graph` builds networkx graphs from a case's plain rows (one layer or several);
- :mod:`.metrics` measures nodes and the whole network (:mod:`.brokerage` for Burt's
  measures, :mod:`.igraph_engine` for the heavy steps above a documented size);
- :mod:`.series` gives the figures quarter by quarter;
- :mod:`.layout` places stakeholders stably, :mod:`.drawing` draws the SVG;
- :mod:`.export` writes GraphML, GEXF, node-link JSON, CSV and Kumu's blueprint;
- :mod:`.service` reads a collaboration and caches the results per data revision.

A network of more than ``service.MAX_TIES`` ties (20,000) is measured, laid out and
drawn as its **backbone**: the minimum tie weight is raised to the smallest threshold
that keeps at most that many ties (:func:`.graph.backbone_network`); the result, the
API (``min_weight_applied``, ``ties_total``) and the page say so. Below it nothing
changes, and a higher minimum weight asked for is kept.
"""
