"""The works the indicators and the diagnosis rest on: short citations and full references.

Docstrings and the API cite the short form; docs/diagnosis.md lists the full references.
An indicator's source is a message id that names the works by placeholder
(``%(ansell_gash)s, trust-building``), so that its words can be translated while the
citations stay as they are: :data:`CITATIONS` fills the placeholders.
"""

from __future__ import annotations

ANSELL_GASH = "Ansell & Gash (2008)"
EMERSON_NABATCHI_BALOGH = "Emerson, Nabatchi & Balogh (2012)"
EMERSON_NABATCHI = "Emerson & Nabatchi (2015)"
STERN_COLEMAN = "Stern & Coleman (2015)"
PARTNER = "PARTNER (Varda & Retrum 2012)"
WILDER = "Wilder Collaboration Factors Inventory (Mattessich & Johnson 2018)"
OGP = "Open Government Partnership IRM"
WEICK = "Weick (1984)"
GINI = "Gini (1912)"

#: Placeholder in a source's message id → the short citation it stands for.
CITATIONS: dict[str, str] = {
    "ansell_gash": ANSELL_GASH,
    "emerson_nabatchi_balogh": EMERSON_NABATCHI_BALOGH,
    "emerson_nabatchi": EMERSON_NABATCHI,
    "stern_coleman": STERN_COLEMAN,
    "partner": PARTNER,
    "wilder": WILDER,
    "ogp": OGP,
    "weick": WEICK,
    "gini": GINI,
}

#: Short citation → full reference.
REFERENCES: dict[str, str] = {
    ANSELL_GASH: (
        "Ansell, C., & Gash, A. (2008). Collaborative governance in theory and practice. "
        "Journal of Public Administration Research and Theory, 18(4), 543–571. "
        "https://doi.org/10.1093/jopart/mum032"
    ),
    EMERSON_NABATCHI_BALOGH: (
        "Emerson, K., Nabatchi, T., & Balogh, S. (2012). An integrative framework for "
        "collaborative governance. Journal of Public Administration Research and Theory, "
        "22(1), 1–29. https://doi.org/10.1093/jopart/mur011"
    ),
    EMERSON_NABATCHI: (
        "Emerson, K., & Nabatchi, T. (2015). Evaluating the productivity of collaborative "
        "governance regimes: A performance matrix. Public Performance & Management Review, "
        "38(4), 717–747. https://doi.org/10.1080/15309576.2015.1031016"
    ),
    STERN_COLEMAN: (
        "Stern, M. J., & Coleman, K. J. (2015). The multidimensionality of trust: "
        "Applications in collaborative natural resource management. Society & Natural "
        "Resources, 28(2), 117–132. https://doi.org/10.1080/08941920.2014.945062"
    ),
    PARTNER: (
        "Varda, D. M., & Retrum, J. H. (2012). An exploratory analysis of network "
        "characteristics and quality of interactions among public health collaboratives. "
        "Journal of Public Health Research, 1(2), 170–176. "
        "https://doi.org/10.4081/jphr.2012.e27 — the PARTNER tool: https://partnertool.net"
    ),
    WILDER: (
        "Mattessich, P. W., & Johnson, K. M. (2018). Collaboration: What makes it work "
        "(3rd ed.). Fieldstone Alliance; with the Wilder Collaboration Factors Inventory."
    ),
    OGP: (
        "Open Government Partnership, Independent Reporting Mechanism (IRM): commitment "
        "completion assessed as not started, limited, substantial or complete. "
        "https://www.opengovpartnership.org/"
    ),
    WEICK: (
        "Weick, K. E. (1984). Small wins: Redefining the scale of social problems. American "
        "Psychologist, 39(1), 40–49. https://doi.org/10.1037/0003-066X.39.1.40"
    ),
    GINI: ("Gini, C. (1912). Variabilità e mutabilità. Bologna: Tipografia di Paolo Cuppini."),
}
