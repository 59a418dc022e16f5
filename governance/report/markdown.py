"""The case report as Markdown, in the language of a :class:`Wording`.

Everything that is not the report's own syntax — names, rationales, excerpts, titles,
and the domain's messages that quote them — goes through :func:`escape`, so text a
person typed cannot become a heading, a link, raw HTML or a script in whatever renders
the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from governance.assessments.schemas import AgreementRead
from governance.diagnosis.messages import N_
from governance.report.comparison import HIGH_SCORE, LOW_SCORE
from governance.report.schemas import (
    CaseReport,
    CodedScore,
    OutcomeLine,
    PartSection,
    Quote,
    VariableSection,
)
from governance.report.wording import Wording

#: How a coded score can disagree with the records, in words (translated when shown).
DISAGREEMENT = N_(
    "a coded score of %(high)s or more where the records say “not met”, or of %(low)s or "
    "less where they say “met”. A score in between, or a variable the records cannot judge, "
    "never disagrees. The records' verdict for a coded period is the diagnosis as of the "
    "period's last day, over the period itself."
)

#: Characters that mean something to Markdown (or to the HTML it may carry) anywhere.
_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~])")
#: An ampersand that would start a character reference (``&lt;``, ``&#60;``).
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What makes a line a heading, quote, list item, rule or setext underline.
_LINE_START = re.compile(r"^(#|\+|-|=)")
_ORDERED = re.compile(r"^(\d+)([.)])")
#: A web address safe to put between angle brackets as an autolink.
_SAFE_URL = re.compile(r"^https?://[^\s<>\\`]+$")


def escape(text: str) -> str:
    """``text`` as literal Markdown: markup characters backslash-escaped, line by line.

    Leading spaces are dropped (four would make a code block).

    Examples
    --------
    >>> escape("<script>alert(1)</script>")
    '\\\\<script\\\\>alert(1)\\\\</script\\\\>'
    >>> escape("# not a heading * [link](x)")
    '\\\\# not a heading \\\\* \\\\[link\\\\](x)'
    >>> escape("1. not a list")
    '1\\\\. not a list'
    """
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _ANYWHERE.sub(r"\\\1", line.lstrip())
        line = _ENTITY.sub(r"\\&", line)
        line = _LINE_START.sub(r"\\\1", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def inline(text: str) -> str:
    """``text`` escaped on one line (for a table cell or a list item)."""
    return escape(" ".join(text.split()))


def quote(text: str) -> list[str]:
    """``text`` as the lines of a block quote, its paragraphs kept."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"):
        out.append(f"> {escape(line)}".rstrip() if line.strip() else ">")
    return out


def link(url: str) -> str:
    """An http(s) address as an autolink; anything else as plain text."""
    return f"<{url}>" if _SAFE_URL.match(url) else inline(url)


def render_markdown(report: CaseReport, say: Wording | None = None) -> str:
    """The whole report as one Markdown document, ending with a newline."""
    say = say or Wording()
    lines: list[str] = [f"# {say('Case report: %(name)s', name=inline(report.name))}", ""]
    lines += _title_block(report, say)
    lines += _standing(report, say)
    for part in report.parts:
        lines += _part(part, report, say)
    lines += [
        f"## {say('How the records are compared with the coded scores')}",
        "",
        f"**{say('When a score disagrees:')}** {say(DISAGREEMENT, high=HIGH_SCORE, low=LOW_SCORE)}",
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def filename(report: CaseReport, language: str) -> str:
    """A download name for the report: ASCII, the case's name, the date and the language.

    Examples
    --------
    >>> from governance.report.examples import sample_report
    >>> filename(sample_report(name="Perbaikan Bansos DKI (2020–2022)"), "id")
    'perbaikan-bansos-dki-2020-2022-report-2022-06-30-id.md'
    """
    spaced = re.sub(r"\W+", " ", report.name)
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].rstrip("-")
    return f"{slug or 'collaboration'}-report-{report.as_of.isoformat()}-{language}.md"


def _title_block(report: CaseReport, say: Wording) -> list[str]:
    facts = [inline(text) for text in (report.place, report.policy_domain) if text.strip()]
    if report.started_on and report.ended_on:
        facts.append(
            say(
                "%(start)s to %(end)s",
                start=say.date(report.started_on),
                end=say.date(report.ended_on),
            )
        )
    elif report.started_on:
        facts.append(say("since %(start)s", start=say.date(report.started_on)))
    lines = [" · ".join(facts), ""] if facts else []
    lines += [
        say(
            "As of %(date)s; indicators over the %(days)s days from %(start)s.",
            date=say.date(report.as_of),
            days=say.number(report.window_days),
            start=say.date(report.window_start),
        ),
        "",
    ]
    return lines


def _standing(report: CaseReport, say: Wording) -> list[str]:
    lines = [f"## {say('Where the collaboration stands')}", ""]
    phase = report.phase
    lines.append(
        f"- **{say('Phase reached')}:** {phase.code} {say(phase.name)} — "
        f"{inline(say.text(phase.reason_text))}"
    )
    weakest = report.bottleneck
    if weakest is None:
        lines.append(f"- **{say('Bottleneck')}:** {say('none')}")
    else:
        lines.append(
            f"- **{say('Bottleneck')}:** {say(weakest.name)} ({weakest.phase}) — "
            f"{inline(say.text(weakest.reason_text))} ({inline(say.text(weakest.why_chosen_text))})"
        )
    lines.append(
        f"- **{say('Turns of the virtuous cycle')}:** {say.number(report.cycles.count)} — "
        f"{inline(say(report.cycles.rule))}"
    )
    lines.append(
        f"- **{say('Life cycle')}:** {say.lifecycle(report.lifecycle.status)} — "
        f"{inline(say.text(report.lifecycle.reason_text))}"
    )
    lines += ["", f"### {say('Warning signs')}", ""]
    if report.warnings:
        lines += [
            f"- **{say.warning(w.key)}:** {inline(say.text(w.message_text))}"
            for w in report.warnings
        ]
    else:
        lines.append(say("No warning signs."))
    lines.append("")
    return lines


def _part(part: PartSection, report: CaseReport, say: Wording) -> list[str]:
    lines = [f"## {say.part(part.part)}", ""]
    if part.part == "collaborative_process":
        lines += [f"**{say('Links of the cycle')}**", ""]
        lines += [
            f"- {say(c.name)} ({c.phase}): {say('Met') if c.met else say('Not met')} — "
            f"{inline(say.text(c.reason_text))}"
            for c in report.components
            if c.phase != "P6"
        ]
        lines.append("")
    for section in part.variables:
        lines += _variable(section, say)
    if part.part == "outcomes":
        lines += _outcomes(report.outcomes, say)
    lines += _evidence(part.quotes, part.confidential_evidence, say)
    return lines


def _variable(section: VariableSection, say: Wording) -> list[str]:
    lines = [f"### {say.variable(section.variable)}", ""]
    if section.indicators:
        lines += [
            f"| {say('Indicator')} | {say('Value')} | {say('How it is computed')} |",
            "|---|---|---|",
        ]
        for i in section.indicators:
            value = say.value(i.kind, i.value)
            if i.value is None and i.reason_text is not None:
                value += f" ({inline(say.text(i.reason_text))})"
            lines.append(
                f"| {inline(say.indicator(i.key, i.label))} | {value} | "
                f"{inline(say.formula(i.key, i.formula))}; {say.scope(i.scope)}. "
                f"*{inline(say.source(i.key, i.source))}* |"
            )
        lines.append("")
    for w in section.warnings:
        lines += [f"- **{say.warning(w.key)}:** {inline(say.text(w.message_text))}"]
    if section.warnings:
        lines.append("")
    if section.coded:
        lines += [f"**{say('Coded scores')}**", ""]
        lines += [line for c in section.coded for line in _coded(c, say)]
        lines.append("")
        if section.agreement is not None and section.agreement.n_coders >= 2:
            lines += [_agreement(section.agreement, say), ""]
    return lines


def _coded(score: CodedScore, say: Wording) -> list[str]:
    said = (
        f"- **{inline(score.coder)}**, {say.period(score.period_start, score.period_end)}: "
        f"**{score.score} – {say.anchor(score.score)}**. "
        f"{say('The records say')}: {say.verdict(score.derived.verdict)} — "
        f"{inline(say.text(score.derived.reason_text))}."
    )
    if score.disagrees:
        said += f" **⚠ {say('Disagrees with the records')}**"
    lines = [said]
    for paragraph in score.rationale.replace("\r\n", "\n").split("\n\n"):
        if paragraph.strip():
            lines.append(f"  {inline(paragraph)}")
    return lines


def _agreement(agreement: AgreementRead, say: Wording) -> str:
    head = say("Agreement between coders")
    stat = say.statistic(agreement.statistic)
    if agreement.value is None:
        return f"{head}: {stat} — {inline(say(agreement.reason or ''))}"
    counts = say(
        "units compared: %(units)s; coders: %(coders)s",
        units=say.number(agreement.n_units),
        coders=say.number(agreement.n_coders),
    )
    return f"{head}: {stat} = {say.number(agreement.value, 2)} ({counts})"


def _outcomes(outcomes: Iterable[OutcomeLine], say: Wording) -> list[str]:
    lines = [f"### {say('Outcome progress')}", ""]
    found = False
    for o in outcomes:
        found = True
        progress = say.percent(o.progress) if o.progress is not None else say("unknown")
        if o.rolled_up:
            detail = say("rolled up from its parts")
        elif o.latest is None:
            detail = say("not measured yet")
        else:
            detail = say(
                "%(value)s of %(target)s", value=say.number(o.latest), target=say.number(o.target)
            )
            if o.unit:
                detail += f" {inline(o.unit)}"
        lines.append(
            f"{'  ' * o.depth}- {inline(o.title)} ({say.label('outcome_level', o.level)}): "
            f"**{progress}** — {detail}"
        )
    if not found:
        lines.append(say("No outcomes set yet."))
    lines.append("")
    return lines


def _evidence(quotes: Iterable[Quote], confidential: int, say: Wording) -> list[str]:
    quotes = list(quotes)
    if not quotes and not confidential:
        return []
    lines = [f"### {say('Evidence')}", ""]
    for q in quotes:
        title = f"*{inline(q.title)}*"
        if q.repeated:
            lines += [f"- {title} — {say('quoted above')}", ""]
            continue
        source = f"{title} ({say.label('evidence_kind', q.kind)}"
        source += f", {say.date(q.date)})" if q.date else ")"
        if q.citation.strip():
            source += f" {inline(q.citation)}"
        if q.url:
            source += f" {link(q.url)}"
        if q.excerpt.strip():
            lines += [*quote(q.excerpt), ">", f"> — {source}", ""]
        else:
            lines += [f"- {source}", ""]
    if confidential:
        lines += [
            say(
                "Confidential evidence, counted but not quoted: %(count)s.",
                count=say.number(confidential),
            ),
            "",
        ]
    return lines
