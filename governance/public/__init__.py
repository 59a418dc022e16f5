"""What the public transparency pages may show: read-only queries over published forums.

A forum is *published* when it is marked public and neither it nor its collaboration is
deleted. Everything here is reached from a published forum, and nothing else is read:
a forum that is not published answers exactly as one that does not exist.

The publication rules, chosen so that a reader of a public forum sees what its minutes
would tell them, and nothing that was recorded about people or for research:

- **Forum**: name, purpose, the collaboration's name, convener and facilitator names,
  its design (inclusiveness, decision rule) and its schedule (established, closed, the
  last meeting held and the next one planned).
- **Meetings**: every live meeting of the forum, with title, time, mode, location and
  status. A *planned* meeting shows its agenda too. A *cancelled* one shows only that
  it was cancelled.
- **Minutes** are published when the meeting is *held* and its minutes were
  *circulated* (``minutes_circulated_on`` is set): circulation is the secretariat's act of
  finalising them, so drafts being typed up stay private. They are shown as
  sanitised HTML (:mod:`governance.meetings.minutes`).
- **Decisions** of a held meeting: text, rationale, whether by consensus.
- **Attendance**: how many attended, and the names of the *organisations, coalitions
  and groups* that attended, as public minutes list them. Individuals (stakeholders of
  kind ``person``) and the names of whoever represented an organisation are counted,
  never named: attending a meeting does not make a resident a public figure.
- **Commitments** made *at* the forum's held meetings (not every commitment of the
  collaboration: some are made in closed forums): description, owner and counterpart
  names, when made and due, status, overdue, and the dates of each status change —
  without the notes or evidence of those changes.
- **Outcome progress** of the outcomes linked to those meetings or commitments: title,
  level, progress in percent (rolled up as on the outcome pages) and the date of the
  latest measurement behind it — without measurement notes or evidence.

Never shown: contact details, stakeholder descriptions or resources, trust events,
assessments, evidence, relationships, participations (incentives, constraints),
attendance by individual, the audit log, users, forums that are not published and their
meetings, and anything soft-deleted (a deleted stakeholder is left unnamed).
"""
