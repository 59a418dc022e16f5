"""Taking data out: per-collaboration CSV, .xlsx and JSON exports, the research package
with its codebook, and stable pseudonyms for stakeholders."""
