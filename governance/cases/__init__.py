"""A collaboration read into plain, frozen data: what the diagnosis and network compute on."""
