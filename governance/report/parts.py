"""The five parts of the Ansell & Gash model, and which variables each part holds.

The case report and the diagnosis page follow this order: starting conditions,
institutional design, facilitative leadership, the collaborative process (the cycle),
outcomes (Ansell & Gash 2008, figure 1).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from governance.diagnosis.messages import N_
from governance.vocab import ModelVariable


class Part(enum.StrEnum):
    STARTING_CONDITIONS = "starting_conditions"
    INSTITUTIONAL_DESIGN = "institutional_design"
    FACILITATIVE_LEADERSHIP = "facilitative_leadership"
    COLLABORATIVE_PROCESS = "collaborative_process"
    OUTCOMES = "outcomes"


#: Each part's title as people read it (an English message id, translated when shown).
TITLES: Mapping[Part, str] = {
    Part.STARTING_CONDITIONS: N_("Starting conditions"),
    Part.INSTITUTIONAL_DESIGN: N_("Institutional design"),
    Part.FACILITATIVE_LEADERSHIP: N_("Facilitative leadership"),
    Part.COLLABORATIVE_PROCESS: N_("The collaborative process"),
    Part.OUTCOMES: N_("Outcomes"),
}

#: The model's variables by part, in the model's order.
VARIABLES: Mapping[Part, tuple[ModelVariable, ...]] = {
    Part.STARTING_CONDITIONS: (
        ModelVariable.POWER_RESOURCE_KNOWLEDGE_ASYMMETRY,
        ModelVariable.INCENTIVES_AND_CONSTRAINTS,
        ModelVariable.PREHISTORY,
    ),
    Part.INSTITUTIONAL_DESIGN: (
        ModelVariable.PARTICIPATORY_INCLUSIVENESS,
        ModelVariable.FORUM_EXCLUSIVENESS,
        ModelVariable.CLEAR_GROUND_RULES,
        ModelVariable.PROCESS_TRANSPARENCY,
    ),
    Part.FACILITATIVE_LEADERSHIP: (ModelVariable.FACILITATIVE_LEADERSHIP,),
    Part.COLLABORATIVE_PROCESS: (
        ModelVariable.FACE_TO_FACE_DIALOGUE,
        ModelVariable.TRUST_BUILDING,
        ModelVariable.COMMITMENT_TO_PROCESS,
        ModelVariable.SHARED_UNDERSTANDING,
        ModelVariable.INTERMEDIATE_OUTCOMES,
    ),
    Part.OUTCOMES: (ModelVariable.OUTCOMES,),
}

_PART_OF: dict[ModelVariable, Part] = {
    variable: part for part, variables in VARIABLES.items() for variable in variables
}


def part_of(variable: ModelVariable) -> Part:
    """The part of the model a variable belongs to.

    Examples
    --------
    >>> part_of(ModelVariable.TRUST_BUILDING)
    <Part.COLLABORATIVE_PROCESS: 'collaborative_process'>
    """
    return _PART_OF[variable]


def variable_order(variable: ModelVariable) -> int:
    """The variable's position in the model, for sorting."""
    return list(_PART_OF).index(variable)
