"""Every indicator of a case over one window, in the order of the model.

Starting conditions, institutional design, facilitative leadership, the process cycle
(dialogue, trust, commitment, shared understanding, intermediate outcomes), outcomes.
Each indicator is a pure function in the module of its part of the model; this module
only calls them with the right rows.
"""

from __future__ import annotations

from governance.cases.snapshot import CaseData
from governance.diagnosis import (
    commitment,
    design,
    dialogue,
    facts,
    leadership,
    outcomes,
    starting_conditions,
    trust,
)
from governance.diagnosis.indicator import SPECS, Indicator, Spec, Window
from governance.diagnosis.thresholds import Thresholds

__all__ = ["SPECS", "Indicator", "Spec", "attendance_shares", "compute"]


def compute(case: CaseData, window: Window, thresholds: Thresholds) -> list[Indicator]:
    """Every indicator of ``case`` as of ``window.end`` over ``window``."""
    as_of = window.end
    # Sorted and read once per case: the functions below ask of them again and again.
    meetings = case.held_meetings
    commitments = facts.ledger(case)
    outcomes_found = facts.outcomes_of(case)
    events = facts.trust_events(case)
    return [
        starting_conditions.resource_asymmetry(case.stakeholders, case.participations, window),
        starting_conditions.incentives_recorded(case.participations, case.stakeholders, as_of),
        starting_conditions.constraints_recorded(case.participations, case.stakeholders, as_of),
        starting_conditions.prehistory_balance(events, meetings, as_of),
        *attendance_shares(case, window),
        design.affected_group_coverage(meetings, case.participations, case.stakeholders, window),
        design.alternative_venue_events(events, window),
        design.ground_rules(case.forums, window),
        design.collaborative_criteria(case.forums, window),
        design.minutes_on_time(meetings, window, deadline_days=thresholds.minutes_deadline_days),
        leadership.facilitator_designated(
            case.forums, case.participations, case.stakeholders, window
        ),
        leadership.facilitator_attendance(meetings, case.forums, case.participations, window),
        leadership.empowerment_actions(
            commitments, events, case.participations, case.stakeholders, as_of
        ),
        dialogue.meetings_per_30_days(meetings, window),
        dialogue.regularity(meetings, window),
        dialogue.in_person_share(meetings, window),
        trust.net_trust_balance(events, as_of, half_life_days=thresholds.trust_half_life_days),
        trust.reliability(commitments, case.stakeholders, as_of),
        commitment.on_time_fulfilment(commitments, window),
        commitment.overdue_ratio(commitments, window),
        commitment.median_days_overdue(commitments, case.stakeholders, as_of),
        commitment.reciprocity(commitments, case.stakeholders, window),
        commitment.retention(meetings, case.stakeholders, window),
        outcomes.shared_statement(case.decisions, as_of),
        outcomes.small_wins(outcomes_found, window),
        outcomes.days_since_small_win(outcomes_found, as_of),
        outcomes.joint_fact_finding(outcomes_found, window),
        outcomes.outcome_progress(outcomes_found, as_of),
    ]


def attendance_shares(case: CaseData, window: Window) -> list[Indicator]:
    """The attendance share indicators of ``case`` over ``window``, as :func:`compute` gives them.

    The warning signs compare only these with the previous window's, so the previous
    window needs no other indicator.
    """
    return design.attendance_shares(
        case.held_meetings, case.stakeholders, window, forums=case.forums
    )
