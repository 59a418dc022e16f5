"""The demo case: DKI Jakarta, SPRI and the Koalisi Pemantau Bansos during COVID-19.

The case comes from the published abstract of Utami (2023) (see ``EVIDENCE["thesis"]``):
SPRI DKI Jakarta, inside the Koalisi Pemantau Bansos, audited and advocated for
households that received no social assistance (bansos), and the provincial government
updated the DTKS welfare database. The collaboration went fairly well thanks to a
low-conflict prehistory, the pandemic as an incentive and a leader who served both sides.

Everything beyond that abstract — people, dates, figures, minutes, documents — is
invented to make the demo's pages meaningful, and the records say so. Records refer to
each other by short slugs ("spri", "dinsos", "f2") that the loader resolves to ids;
codes are the vocabulary of DESIGN.md.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field

#: Western Indonesia Time, Jakarta's zone: UTC+7 all year (no daylight saving).
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")

ILLUSTRATIVE = (
    "Illustrative demo data: names of people and figures beyond the published thesis "
    "abstract are invented."
)
MINUTES_NOTE = "*Notulen ilustratif / illustrative minutes, written for the collabgov demo.*"


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def wib(iso: str) -> dt.datetime:
    """An instant given in Jakarta local time ("2020-05-19 10:00")."""
    return dt.datetime.fromisoformat(iso).replace(tzinfo=WIB)


def profile(
    authority: int, staff: int, budget: int, data_access: int, knowledge: int
) -> dict[str, int]:
    """A resource profile, each 0–4."""
    return {
        "authority": authority,
        "staff": staff,
        "budget": budget,
        "data_access": data_access,
        "knowledge": knowledge,
    }


def minutes(text: str) -> str:
    """Markdown minutes, closed by the note that they are invented."""
    return f"{textwrap.dedent(text).strip()}\n\n{MINUTES_NOTE}"


# --- Shapes of the data -------------------------------------------------------------------


@dataclass(frozen=True)
class CollaborationData:
    name: str
    description: str
    policy_domain: str
    place: str
    started_on: dt.date
    status: str
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class StakeholderData:
    slug: str
    name: str
    kind: str
    sector: str
    description: str
    aliases: tuple[str, ...] = ()
    resources: Mapping[str, int] = field(default_factory=dict)
    contact: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EvidenceData:
    slug: str
    kind: str
    title: str
    date: dt.date | None
    excerpt: str
    citation: str = ""
    url: str = ""
    confidential: bool = False


@dataclass(frozen=True)
class RelationshipData:
    source: str
    type: str
    target: str
    started_on: dt.date | None
    strength: int
    note: str = ""
    ended_on: dt.date | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParticipationData:
    stakeholder: str
    role: str
    joined_on: dt.date
    incentives: str = ""
    constraints: str = ""
    left_on: dt.date | None = None


@dataclass(frozen=True)
class CriterionData:
    criterion: str
    rating: str
    note: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForumData:
    slug: str
    name: str
    purpose: str
    convener: str
    facilitator: str
    established_on: dt.date
    inclusiveness: str
    decision_rule: str
    ground_rules: Mapping[str, bool]
    public: bool
    criteria: tuple[CriterionData, ...]


@dataclass(frozen=True)
class Seat:
    """One attendance row: who, in what role, through whom, and whether they came."""

    stakeholder: str
    role: str = "participant"
    represented_by: str = ""
    attended: bool = True


@dataclass(frozen=True)
class DecisionData:
    slug: str
    text: str
    rationale: str = ""
    kind: str = "ordinary"
    by_consensus: bool = True


@dataclass(frozen=True)
class MeetingData:
    slug: str
    forum: str
    title: str
    starts_at: dt.datetime
    hours: float
    mode: str
    location: str
    agenda: str
    status: str = "held"
    minutes: str = ""
    minutes_circulated_on: dt.date | None = None
    attendance: tuple[Seat, ...] = ()
    decisions: tuple[DecisionData, ...] = ()


@dataclass(frozen=True)
class Step:
    """A status change after the commitment was made (it starts ``open`` on ``made_on``)."""

    status: str
    on: dt.date
    note: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommitmentData:
    slug: str
    owner: str
    counterpart: str | None
    description: str
    made_on: dt.date
    due_on: dt.date
    meeting: str | None = None
    decision: str | None = None
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class TrustEventData:
    occurred_on: dt.date
    actor: str
    target: str | None
    kind: str
    trust_form: str
    valence: str
    severity: int
    description: str
    meeting: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeasurementData:
    measured_on: dt.date
    value: float
    note: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutcomeData:
    slug: str
    title: str
    level: str
    description: str
    unit: str
    baseline: float
    target: float
    started_on: dt.date
    due_on: dt.date
    parent: str | None = None
    weight: float = 1.0
    measurements: tuple[MeasurementData, ...] = ()
    commitments: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssessmentData:
    variable: str
    period_start: dt.date
    period_end: dt.date
    score: int
    coder: str
    rationale: str
    evidence: tuple[str, ...]


# --- The collaboration --------------------------------------------------------------------

COLLABORATION = CollaborationData(
    name="Perbaikan Bansos DKI Jakarta (2020–2022)",
    description=(
        "During the COVID-19 pandemic the DKI Jakarta provincial government and SPRI "
        "(Serikat Perjuangan Rakyat Indonesia) DKI Jakarta, a member of the Koalisi Pemantau "
        "Bansos, worked together to fix the distribution of social assistance (bansos). The "
        "coalition ran complaint posts and social audits of poor households that received no "
        "aid and advocated for them; Dinas Sosial DKI Jakarta verified the households and "
        "updated the DTKS welfare database.\n\n"
        "Kolaborasi Pemprov DKI Jakarta dengan SPRI dan Koalisi Pemantau Bansos untuk "
        "memperbaiki pendataan dan penyaluran bansos di masa pandemi.\n\n"
        "Source: Utami, R. Z. (2023), Universitas Indonesia, which finds that the collaboration "
        "went fairly well thanks to a history of interaction with minimal conflict, the "
        "pandemic as an incentive, and a leader who could serve both sides.\n\n" + ILLUSTRATIVE
    ),
    policy_domain="Social assistance (bansos) and welfare data (DTKS)",
    place="DKI Jakarta, Indonesia",
    started_on=day("2020-05-05"),
    status="active",
)

# --- Stakeholders ---------------------------------------------------------------------------

STAKEHOLDERS: list[StakeholderData] = [
    StakeholderData(
        slug="pemprov",
        name="Pemerintah Provinsi DKI Jakarta",
        aliases=("Pemprov DKI", "Jakarta Provincial Government"),
        kind="organisation",
        sector="government",
        description=(
            "The provincial government of the Special Capital Region of Jakarta, which funded "
            "and distributed provincial bansos during the PSBB and PPKM restrictions."
        ),
        resources=profile(4, 4, 4, 3, 2),
    ),
    StakeholderData(
        slug="dinsos",
        name="Dinas Sosial DKI Jakarta",
        aliases=("Dinsos DKI", "Jakarta Social Affairs Agency"),
        kind="organisation",
        sector="government",
        description=(
            "The provincial social affairs agency: it verifies households and proposes them "
            "for DTKS (Data Terpadu Kesejahteraan Sosial, the integrated social welfare "
            "database) and runs provincial social assistance. It convenes the forum."
        ),
        resources=profile(3, 3, 3, 4, 3),
        contact={
            "email": "dinsos.demo@example.org",
            "note": "Invented demo address; write to the Bidang Perlindungan dan Jaminan Sosial.",
        },
    ),
    StakeholderData(
        slug="kemensos",
        name="Kementerian Sosial RI",
        aliases=("Kemensos", "Ministry of Social Affairs of the Republic of Indonesia"),
        kind="organisation",
        sector="government",
        description=(
            "The national social ministry, which determines DTKS from the provinces' "
            "submissions and funds national bansos programmes. Its part in the forum here "
            "is illustrative."
        ),
        resources=profile(4, 3, 4, 4, 3),
    ),
    StakeholderData(
        slug="hendra",
        name="Hendra Kusuma",
        aliases=("Pak Hendra", "TGUPP facilitator"),
        kind="person",
        sector="government",
        description=(
            "Illustrative, invented person: a member of the Governor's acceleration team "
            "(TGUPP) with earlier ties to Jakarta's urban-poor organisations. He stands for "
            "the thesis's finding of a leader who could facilitate the needs of both sides."
        ),
        resources=profile(3, 1, 1, 2, 3),
        contact={"email": "hendra.kusuma@example.org"},
    ),
    StakeholderData(
        slug="sudinsos",
        name="Suku Dinas Sosial Jakarta Utara",
        aliases=("Sudinsos Jakut", "North Jakarta Social Affairs Office"),
        kind="organisation",
        sector="government",
        description=(
            "The North Jakarta office of Dinas Sosial, which runs field verification in "
            "Cilincing and Tanah Merah. Its role in this demo is illustrative."
        ),
        resources=profile(2, 2, 1, 3, 2),
    ),
    StakeholderData(
        slug="kelurahan",
        name="Kelurahan Kampung Melayu",
        aliases=("Kampung Melayu urban-village office",),
        kind="organisation",
        sector="government",
        description=(
            "The urban-village office of Kampung Melayu (East Jakarta), whose staff visit "
            "households for DTKS verification. Its role in this demo is illustrative."
        ),
        resources=profile(2, 1, 1, 2, 2),
    ),
    StakeholderData(
        slug="spri",
        name="SPRI DKI Jakarta",
        aliases=(
            "Serikat Perjuangan Rakyat Indonesia DKI Jakarta",
            "SPRI",
            "Indonesian People's Struggle Union, Jakarta",
        ),
        kind="organisation",
        sector="civil_society",
        description=(
            "The Jakarta chapter of Serikat Perjuangan Rakyat Indonesia, a union of the urban "
            "poor. As a member of the Koalisi Pemantau Bansos it ran advocacy and social audits "
            "of bansos distribution (Utami 2023). Its people and figures here are invented."
        ),
        resources=profile(0, 2, 1, 2, 3),
        contact={
            "email": "sekretariat.spri@example.org",
            "note": "Invented demo address.",
        },
    ),
    StakeholderData(
        slug="koalisi",
        name="Koalisi Pemantau Bansos",
        aliases=("Koalisi Pemantau Bansos Jakarta", "Social Assistance Monitoring Coalition"),
        kind="coalition",
        sector="civil_society",
        description=(
            "A coalition of civil-society organisations monitoring COVID-19 social assistance "
            "in Jakarta; SPRI DKI Jakarta is a member (Utami 2023). Its other members and its "
            "secretariat here are illustrative."
        ),
        resources=profile(0, 2, 1, 2, 3),
        contact={"email": "koalisi.bansos@example.org"},
    ),
    StakeholderData(
        slug="lbh",
        name="LBH Jakarta",
        aliases=("Lembaga Bantuan Hukum Jakarta", "Jakarta Legal Aid Institute"),
        kind="organisation",
        sector="civil_society",
        description=(
            "Jakarta's legal aid institute. Illustrative: its membership of the coalition and "
            "its role here (advice on personal data and appeals) are assumed for the demo, not "
            "taken from the thesis."
        ),
        resources=profile(0, 2, 1, 1, 4),
    ),
    StakeholderData(
        slug="icw",
        name="Indonesia Corruption Watch",
        aliases=("ICW",),
        kind="organisation",
        sector="civil_society",
        description=(
            "An anti-corruption watchdog. Illustrative: its membership of the coalition and its "
            "role here (complaint analysis, the residents' guide) are assumed for the demo, not "
            "taken from the thesis."
        ),
        resources=profile(0, 3, 2, 2, 4),
    ),
    StakeholderData(
        slug="fta",
        name="Forum Transparansi Anggaran Jakarta",
        aliases=("FTA Jakarta", "Jakarta Budget Transparency Forum"),
        kind="organisation",
        sector="civil_society",
        description=(
            "Illustrative, invented budget watchdog modelled on groups such as FITRA; it "
            "analyses the provincial bansos budget for the coalition."
        ),
        resources=profile(0, 1, 1, 2, 3),
    ),
    StakeholderData(
        slug="jmk",
        name="Jaringan Miskin Kota Jakarta",
        aliases=("JMK", "Jakarta Urban Poor Network"),
        kind="organisation",
        sector="civil_society",
        description=(
            "Illustrative, invented network of urban-poor community groups; it runs a DTKS "
            "help desk in Tanah Merah."
        ),
        resources=profile(0, 2, 0, 1, 2),
    ),
    StakeholderData(
        slug="rw05",
        name="Warga RW 05 Kampung Melayu",
        aliases=("Residents of RW 05, Kampung Melayu",),
        kind="group",
        sector="community",
        description=(
            "Residents of RW 05, Kampung Melayu (East Jakarta): day labourers and informal "
            "traders who lost income under PSBB. Illustrative group for the demo."
        ),
        resources=profile(0, 0, 0, 1, 2),
        contact={"note": "Reached through the RW chair (invented)."},
    ),
    StakeholderData(
        slug="cilincing",
        name="Warga Cilincing",
        aliases=("Residents of Cilincing",),
        kind="group",
        sector="community",
        description=(
            "Households of fishing and port workers in Cilincing (North Jakarta) served by "
            "SPRI's complaint post. Illustrative group for the demo."
        ),
        resources=profile(0, 0, 0, 1, 1),
    ),
    StakeholderData(
        slug="tanahmerah",
        name="Kelompok Ibu-ibu Tanah Merah",
        aliases=("Tanah Merah women's group",),
        kind="group",
        sector="community",
        description=(
            "A women's group from Tanah Merah (North Jakarta) whose members struggled to "
            "register their households for aid. Illustrative group for the demo."
        ),
        resources=profile(0, 0, 0, 0, 1),
    ),
    StakeholderData(
        slug="researcher",
        name="Andini Prameswari",
        aliases=("Dr. Andini Prameswari",),
        kind="person",
        sector="academic",
        description=(
            "Illustrative, invented university researcher who advised the coalition on the "
            "social audit sample and observed the forum."
        ),
        resources=profile(0, 1, 1, 1, 4),
        contact={"email": "andini.prameswari@example.org"},
    ),
    StakeholderData(
        slug="media",
        name="Jakarta Pagi Online",
        aliases=("JPO",),
        kind="organisation",
        sector="media",
        description=(
            "Illustrative, invented Jakarta online news outlet that covered the complaint posts "
            "and the forum."
        ),
        resources=profile(0, 2, 2, 1, 2),
        contact={"email": "redaksi@example.org"},
    ),
]

# --- Evidence -------------------------------------------------------------------------------

THESIS_TITLE = (
    "Relasi Kolaboratif Serikat Perjuangan Rakyat Indonesia (SPRI) dengan Pemerintah DKI "
    "Jakarta Studi Kasus: Advokasi Perbaikan Bantuan Sosial bagi Masyarakat Miskin di Masa "
    "Pandemi COVID-19 (2020-2022)"
)
THESIS_URL = "https://lib.ui.ac.id/detail?id=9999920523867&lokasi=lokal"

EVIDENCE: list[EvidenceData] = [
    EvidenceData(
        slug="thesis",
        kind="document",
        title=THESIS_TITLE,
        date=None,
        citation=f"Utami, R. Z. (2023). {THESIS_TITLE}. Universitas Indonesia. {THESIS_URL}",
        url=THESIS_URL,
        excerpt=(
            "The results of this study show that the collaboration carried out by the DKI "
            "Government and SPRI is going quite well with the updating of the DTKS system and "
            "assisting residents who need to get social assistance. This can happen due to a "
            "history of interaction that has minimal conflict, the existence of a pandemic as "
            "an incentive for collaboration, to a leader who can facilitate the needs of both "
            "stakeholders."
        ),
    ),
    EvidenceData(
        slug="int_spri",
        kind="interview",
        title="Interview with an SPRI DKI Jakarta organiser (illustrative)",
        date=day("2022-04-12"),
        citation="Invented interview for the demo; the organiser is anonymous.",
        excerpt=(
            '[Illustrative] "Dinsos answered every name on our first list within a month. '
            'After that our members believed the forum was worth the trip."'
        ),
        confidential=True,
    ),
    EvidenceData(
        slug="int_dinsos",
        kind="interview",
        title="Interview with a Dinas Sosial DKI Jakarta data officer (illustrative)",
        date=day("2022-04-20"),
        citation="Invented interview for the demo; the officer is anonymous.",
        excerpt=(
            "[Illustrative] \"The coalition's lists told us where DTKS was blind. The final "
            "determination is Kemensos's, so we could promise verification, not inclusion.\""
        ),
        confidential=True,
    ),
    EvidenceData(
        slug="int_hendra",
        kind="interview",
        title="Interview with the facilitating official, Hendra Kusuma (illustrative)",
        date=day("2022-05-03"),
        citation="Invented interview with an invented person, for the demo.",
        excerpt=(
            '[Illustrative] "I knew the SPRI people from the kampung programmes and the '
            "Dinsos people from the office. My job was to make each side's request something "
            'the other could say yes to."'
        ),
    ),
    EvidenceData(
        slug="min_f2",
        kind="minutes",
        title="Notulen Forum Koordinasi Bansos DKI, 16 Juni 2020 (illustrative)",
        date=day("2020-06-19"),
        citation="Invented minutes of the demo's forum meeting of 16 June 2020.",
        excerpt=(
            "[Illustrative] The forum endorsed a joint problem statement on poor households "
            "missing from DTKS and agreed the coalition would audit six pilot RWs."
        ),
    ),
    EvidenceData(
        slug="min_f8",
        kind="minutes",
        title="Notulen Forum Koordinasi Bansos DKI, 15 Juni 2021 (illustrative)",
        date=day("2021-06-18"),
        citation="Invented minutes of the demo's forum meeting of 15 June 2021.",
        excerpt=(
            "[Illustrative] The forum adopted the data-update procedure and asked the "
            "Governor's office to make it binding on every DTKS update cycle."
        ),
    ),
    EvidenceData(
        slug="min_f11",
        kind="minutes",
        title="Notulen Forum Koordinasi Bansos DKI, 14 Desember 2021 (illustrative)",
        date=day("2022-01-05"),
        citation="Invented minutes of the demo's forum meeting of 14 December 2021.",
        excerpt=(
            "[Illustrative] Dinas Sosial will not post recipient lists per RW, citing "
            "personal-data rules; the coalition recorded its objection."
        ),
    ),
    EvidenceData(
        slug="news_posko",
        kind="news",
        title="Koalisi buka posko pengaduan bansos di 14 RW (illustrative news item)",
        date=day("2020-04-28"),
        citation="Jakarta Pagi Online, 28 April 2020. Invented article for the demo.",
        url="https://news.example.org/2020/04/28/posko-pengaduan-bansos",
        excerpt=(
            "[Illustrative] Residents queued at the coalition's complaint posts to report "
            "that no food package had reached them since the PSBB began."
        ),
    ),
    EvidenceData(
        slug="news_criticism",
        kind="news",
        title="Koalisi: ribuan warga miskin belum terdata di DTKS (illustrative news item)",
        date=day("2020-05-10"),
        citation="Jakarta Pagi Online, 10 May 2020. Invented article for the demo.",
        url="https://news.example.org/2020/05/10/warga-miskin-belum-terdata",
        excerpt=(
            "[Illustrative] The coalition said the province's recipient data were years out "
            "of date and called on Dinas Sosial to open them to checking by residents."
        ),
    ),
    EvidenceData(
        slug="obs_posko",
        kind="observation",
        title="Field notes: the complaint post in Cilincing (illustrative)",
        date=day("2020-06-05"),
        citation="Invented field notes for the demo.",
        excerpt=(
            "[Illustrative] 43 households registered a complaint in three hours; volunteers "
            "checked each NIK against the coalition's list before sending it to Dinas Sosial."
        ),
    ),
    EvidenceData(
        slug="dataset_audit",
        kind="dataset",
        title="Audit sosial rumah tangga tak terlayani, tahap 1–2 (illustrative dataset)",
        date=day("2021-05-10"),
        citation="The coalition's social audit spreadsheet. Invented figures for the demo.",
        excerpt=(
            "[Illustrative] Phase 1: 6 RWs, 2,310 households visited, 1,036 eligible but "
            "unserved. Phase 2: 18 further RWs."
        ),
    ),
    EvidenceData(
        slug="dataset_dtks",
        kind="dataset",
        title="Rekap pemutakhiran DTKS hasil verifikasi koalisi (illustrative figures)",
        date=day("2022-06-30"),
        citation="Dinas Sosial's monthly update recap as shared with the forum. Invented.",
        excerpt=(
            "[Illustrative] Cumulative households proposed by the coalition, verified and "
            "added to DTKS, by month, June 2020 to June 2022."
        ),
    ),
    EvidenceData(
        slug="doc_instruction",
        kind="document",
        title="Instruksi Gubernur tentang pemutakhiran DTKS berbasis verifikasi warga "
        "(illustrative)",
        date=day("2021-07-05"),
        citation="Invented for the demo; no real instruction or document number is claimed.",
        excerpt=(
            "[Illustrative] Dinas Sosial shall process households verified through the Forum "
            "Koordinasi Bansos in every DTKS update cycle and report the results to the forum."
        ),
    ),
]

# --- Relationships --------------------------------------------------------------------------

RELATIONSHIPS: list[RelationshipData] = [
    RelationshipData(
        "spri",
        "member_of",
        "koalisi",
        day("2020-04-20"),
        3,
        "SPRI is a member of the coalition (Utami 2023); the joining date is illustrative.",
        evidence=("thesis",),
    ),
    RelationshipData("lbh", "member_of", "koalisi", day("2020-04-20"), 2, "Illustrative."),
    RelationshipData("icw", "member_of", "koalisi", day("2020-04-20"), 2, "Illustrative."),
    RelationshipData("jmk", "member_of", "koalisi", day("2020-04-20"), 2, "Illustrative."),
    RelationshipData("fta", "member_of", "koalisi", day("2020-06-01"), 1, "Illustrative."),
    RelationshipData("dinsos", "reports_to", "pemprov", None, 3, "A provincial agency."),
    RelationshipData("sudinsos", "reports_to", "dinsos", None, 3, "Its North Jakarta office."),
    RelationshipData(
        "kelurahan", "reports_to", "pemprov", None, 2, "Through the kecamatan and the mayor."
    ),
    RelationshipData(
        "dinsos",
        "shares_data_with",
        "kemensos",
        None,
        3,
        "Provinces submit DTKS updates to the ministry, which determines the database.",
    ),
    RelationshipData(
        "spri", "represents", "rw05", day("2019-06-01"), 2, "SPRI organises RW 05 (illustrative)."
    ),
    RelationshipData(
        "spri", "represents", "cilincing", day("2020-04-25"), 2, "Through its complaint post."
    ),
    RelationshipData(
        "jmk", "represents", "tanahmerah", day("2020-07-21"), 1, "Through its DTKS help desk."
    ),
    RelationshipData(
        "hendra",
        "advises",
        "pemprov",
        day("2018-01-15"),
        3,
        "Member of the Governor's acceleration team (illustrative).",
    ),
    RelationshipData(
        "hendra",
        "allied_with",
        "spri",
        day("2017-09-01"),
        2,
        "Ties from earlier kampung programmes (illustrative).",
        evidence=("int_hendra",),
    ),
    RelationshipData(
        "researcher",
        "advises",
        "koalisi",
        day("2020-08-25"),
        1,
        "Advice on the social audit sample (illustrative).",
    ),
    RelationshipData(
        "koalisi",
        "in_conflict_with",
        "dinsos",
        day("2020-04-28"),
        2,
        "Early tension over unregistered households and the complaint posts; it eased once "
        "the forum endorsed a joint problem statement (illustrative dates).",
        ended_on=day("2020-06-16"),
        evidence=("news_criticism",),
    ),
    RelationshipData(
        "dinsos",
        "shares_data_with",
        "koalisi",
        day("2021-03-16"),
        2,
        "Monthly anonymised DTKS update status under the forum's data-sharing agreement.",
        evidence=("int_dinsos", "min_f8"),
    ),
]

# --- Participations -------------------------------------------------------------------------

PANDEMIC_INCENTIVE = (
    "The pandemic made accurate recipient data urgent: aid had to reach newly poor households "
    "within weeks, and the province was criticised in the press for missing them."
)

PARTICIPATIONS: list[ParticipationData] = [
    ParticipationData(
        "dinsos",
        "convener",
        day("2020-05-19"),
        incentives=PANDEMIC_INCENTIVE
        + " The coalition's lists showed where DTKS was blind at no cost to the agency.",
        constraints=(
            "DTKS is determined nationally by Kemensos, so the agency can promise verification "
            "but not inclusion; data officers were stretched by the distribution itself."
        ),
    ),
    ParticipationData(
        "hendra",
        "facilitator",
        day("2020-05-19"),
        incentives="The Governor's priority on bansos reaching every poor household in the "
        "pandemic; personal ties to both sides.",
        constraints="No line authority over Dinas Sosial; depends on the Governor's backing.",
    ),
    ParticipationData(
        "pemprov",
        "participant",
        day("2020-05-19"),
        incentives=PANDEMIC_INCENTIVE,
        constraints="Budget reallocation rules and the national bansos schedule.",
    ),
    ParticipationData("sudinsos", "participant", day("2020-08-11")),
    ParticipationData("kelurahan", "participant", day("2020-08-11")),
    ParticipationData(
        "kemensos",
        "observer",
        day("2020-10-13"),
        constraints="Attends from the national level only when submissions are discussed.",
    ),
    ParticipationData(
        "spri",
        "participant",
        day("2020-05-05"),
        incentives="Members and neighbours without aid during the pandemic; recognition of the "
        "union's organising work.",
        constraints="Volunteer organisers with no budget; members' NIK data must be protected.",
    ),
    ParticipationData(
        "koalisi",
        "participant",
        day("2020-05-05"),
        incentives="A seat where complaint lists turn into verified data.",
        constraints="Decisions need every member's agreement; no legal status of its own.",
    ),
    ParticipationData(
        "lbh",
        "participant",
        day("2020-05-05"),
        left_on=day("2021-12-31"),
        constraints="Case load from the pandemic; left the forum at the end of 2021.",
    ),
    ParticipationData("icw", "participant", day("2020-05-05")),
    ParticipationData("fta", "participant", day("2020-06-16")),
    ParticipationData("jmk", "participant", day("2020-05-05")),
    ParticipationData(
        "rw05",
        "affected_group",
        day("2020-05-19"),
        incentives="Households without aid after losing their income.",
        constraints="Daily work leaves little time for meetings; few have internet access.",
    ),
    ParticipationData("cilincing", "affected_group", day("2020-06-16")),
    ParticipationData("tanahmerah", "affected_group", day("2020-07-21")),
    ParticipationData("researcher", "observer", day("2020-08-25")),
    ParticipationData("media", "observer", day("2020-06-16")),
]

# --- Forums ---------------------------------------------------------------------------------

FORUMS: list[ForumData] = [
    ForumData(
        slug="fkb",
        name="Forum Koordinasi Bansos DKI",
        purpose=(
            "Bring Dinas Sosial, the Governor's office and the Koalisi Pemantau Bansos to one "
            "table to agree how households missing from DTKS are found, verified and added."
        ),
        convener="dinsos",
        facilitator="hendra",
        established_on=day("2020-05-19"),
        inclusiveness="open",
        decision_rule="consensus",
        ground_rules={
            "terms_of_reference": True,
            "decision_rule": True,
            "roles": True,
            "schedule": True,
            "dispute_procedure": False,
            "deadlines": True,
        },
        public=True,
        criteria=(
            CriterionData(
                "initiated_by_public_agency",
                "partial",
                "Convened and hosted by Dinas Sosial, but the initiative came from the "
                "coalition's advocacy, to which the government responded positively.",
                ("thesis",),
            ),
            CriterionData(
                "includes_non_state_actors",
                "met",
                "SPRI, the coalition's members and residents' groups sit as participants.",
                ("min_f2",),
            ),
            CriterionData(
                "participants_decide",
                "partial",
                "The forum decides verification and procedure; inclusion in DTKS is finally "
                "determined by Kemensos.",
                ("int_dinsos",),
            ),
            CriterionData(
                "formally_organised",
                "met",
                "Terms of reference, a monthly then quarterly schedule and circulated minutes.",
                ("min_f2",),
            ),
            CriterionData(
                "aims_at_consensus",
                "met",
                "Decisions by consensus; one decision in December 2021 was taken over the "
                "coalition's objection.",
                ("min_f11",),
            ),
            CriterionData(
                "public_policy",
                "met",
                "Social assistance targeting and the DTKS welfare database.",
            ),
        ),
    ),
    ForumData(
        slug="verif",
        name="Rapat Verifikasi Data DTKS",
        purpose=(
            "Working meetings of the data officers and the coalition's organisers on batches of "
            "households: field visits, rejected cases and submissions to Kemensos."
        ),
        convener="dinsos",
        facilitator="sudinsos",
        established_on=day("2020-08-11"),
        inclusiveness="invited",
        decision_rule="consensus",
        ground_rules={
            "terms_of_reference": False,
            "decision_rule": True,
            "roles": True,
            "schedule": False,
            "dispute_procedure": False,
            "deadlines": True,
        },
        public=False,
        criteria=(
            CriterionData(
                "initiated_by_public_agency", "met", "Called by Dinas Sosial's data unit."
            ),
            CriterionData(
                "includes_non_state_actors", "met", "SPRI and coalition organisers take part."
            ),
            CriterionData(
                "participants_decide",
                "met",
                "The batch lists leave the meeting as agreed by both sides.",
            ),
            CriterionData(
                "formally_organised", "partial", "Called batch by batch, without a schedule."
            ),
            CriterionData("aims_at_consensus", "met", "Lists are agreed line by line."),
            CriterionData("public_policy", "met", "DTKS verification."),
        ),
    ),
    ForumData(
        slug="kerja",
        name="Kelompok Kerja Daring Koalisi",
        purpose=(
            "The coalition's online working group: pooling complaint lists, designing the "
            "social audit and preparing positions for the coordination forum."
        ),
        convener="koalisi",
        facilitator="spri",
        established_on=day("2020-04-25"),
        inclusiveness="closed",
        decision_rule="consensus",
        ground_rules={
            "terms_of_reference": False,
            "decision_rule": True,
            "roles": True,
            "schedule": True,
            "dispute_procedure": False,
            "deadlines": False,
        },
        public=False,
        criteria=(
            CriterionData(
                "initiated_by_public_agency",
                "not_met",
                "A civil-society forum; no public agency takes part.",
            ),
            CriterionData("includes_non_state_actors", "met", "Only non-state actors."),
            CriterionData(
                "public_policy",
                "partial",
                "Prepares positions on public policy but decides none.",
            ),
        ),
    ),
]

# --- Meetings -------------------------------------------------------------------------------

# Invented people who came on each organisation's behalf.
RETNO = "Retno Wulandari"  # Dinas Sosial, head of social protection
AGUS = "Agus Setiawan"  # Dinas Sosial, DTKS data officer
YUNI = "Yuni Astuti"  # Pemprov, Governor's office
MARIA = "Maria Simanjuntak"  # Kemensos, data centre
BAMBANG = "Bambang Hidayat"  # Sudinsos Jakarta Utara
TEGUH = "Teguh Prasetyo"  # Kelurahan Kampung Melayu
WAHYU = "Wahyu Hidayat"  # SPRI, chair
SRI = "Sri Wahyuni"  # SPRI, organiser
FAJAR = "Fajar Pratama"  # coalition coordinator
NUR = "Nur Aini"  # LBH Jakarta
DEDI = "Dedi Kurniawan"  # ICW
LINA = "Lina Kurniasih"  # FTA Jakarta
EKO = "Eko Saputro"  # JMK
JOKO = "Joko Susanto"  # RW 05 chair
RATNA = "Ratna Sari"  # Cilincing residents
HANA = "Hana Pertiwi"  # Tanah Merah women's group
PUTRI = "Putri Anggraeni"  # Jakarta Pagi Online reporter

DINSOS_OFFICE = "Kantor Dinas Sosial DKI Jakarta"
ZOOM = "Zoom"

MEETINGS: list[MeetingData] = [
    MeetingData(
        slug="k1",
        forum="kerja",
        title="Rapat daring koalisi: posko pengaduan dan audiensi",
        starts_at=wib("2020-05-05 19:30"),
        hours=2,
        mode="online",
        location=ZOOM,
        agenda="1. Rekap posko pengaduan\n2. Satu daftar bersama\n3. Permintaan audiensi",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Members compared what their complaint posts (*posko pengaduan*) collected since late
            April: **1,130 households** in 14 RWs report receiving no food package although
            they lost income under PSBB. Most are not in DTKS; some are registered at an old
            address.

            SPRI proposed one shared spreadsheet (NIK, address, RT/RW, reason) so that the
            coalition speaks with one list. LBH Jakarta reminded members that NIK numbers are
            personal data and must stay within the coalition.

            **Keputusan:** open posts in every member's area; request an audience with Dinas
            Sosial.
            """
        ),
        minutes_circulated_on=day("2020-05-06"),
        attendance=(
            Seat("koalisi", "chair", FAJAR),
            Seat("spri", "facilitator", SRI),
            Seat("lbh", "participant", NUR),
            Seat("icw", "participant", DEDI),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO),
            Seat("cilincing", "participant", RATNA),
        ),
        decisions=(
            DecisionData(
                "d_k1_list",
                "Pool every post's complaints into one list of unserved households.",
                "One list is easier for the province to check than fourteen.",
            ),
            DecisionData(
                "d_k1_audience",
                "Ask Dinas Sosial for an audience to hand over the list.",
            ),
        ),
    ),
    MeetingData(
        slug="f1",
        forum="fkb",
        title="Audiensi Koalisi Pemantau Bansos dengan Dinas Sosial",
        starts_at=wib("2020-05-19 10:00"),
        hours=2,
        mode="hybrid",
        location=f"{DINSOS_OFFICE} and {ZOOM}",
        agenda="1. The coalition's list\n2. How Dinsos checks DTKS\n3. A standing forum",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            The coalition handed over a list of **1,480 households** from its complaint posts.
            Ibu Retno Wulandari explained that DTKS is updated by the province and determined
            by Kemensos, and that many complaints concern households that were never proposed.

            Pak Hendra Kusuma, from the Governor's team, proposed turning the audience into a
            monthly coordination forum: *"the pandemic will not wait for the next census."*
            Both sides agreed.

            ## Keputusan / Decisions

            - Dinas Sosial checks every household on the list against DTKS and replies.
            - A monthly Forum Koordinasi Bansos DKI, facilitated by Pak Hendra.
            """
        ),
        minutes_circulated_on=day("2020-05-22"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("lbh", "participant", NUR),
            Seat("icw", "participant", DEDI),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO),
        ),
        decisions=(
            DecisionData(
                "d_f1_check",
                "Dinas Sosial checks every household on the coalition's list against DTKS and "
                "replies with its status.",
            ),
            DecisionData(
                "d_f1_forum",
                "Meet monthly as the Forum Koordinasi Bansos DKI, facilitated by Hendra Kusuma.",
                "A standing channel instead of one-off audiences and press conferences.",
            ),
        ),
    ),
    MeetingData(
        slug="f2",
        forum="fkb",
        title="Forum Koordinasi #1: rumusan masalah bersama",
        starts_at=wib("2020-06-16 10:00"),
        hours=2.5,
        mode="hybrid",
        location=f"{DINSOS_OFFICE} and {ZOOM}",
        agenda="1. Replies on the first list\n2. A common problem statement\n3. Pilot audit",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Dinas Sosial reported on the first list: 38% of the households were in DTKS but
            missed by the distribution, 62% were not in DTKS at all. The forum spent most of
            the meeting writing one problem statement that both sides could sign.

            **Pernyataan masalah bersama / joint problem statement:** poor and newly poor
            households in Jakarta are missing from DTKS and so receive no bansos; finding and
            verifying them is a shared task of the province and the coalition.

            SPRI offered to audit six pilot RWs with a form agreed with Dinas Sosial.
            """
        ),
        minutes_circulated_on=day("2020-06-19"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("icw", "participant", DEDI),
            Seat("fta", "participant", LINA),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO),
            Seat("cilincing", "participant", RATNA),
            Seat("media", "observer", PUTRI),
        ),
        decisions=(
            DecisionData(
                "d_f2_statement",
                "Joint problem statement: poor and newly poor households in Jakarta are "
                "missing from DTKS and so receive no bansos; finding and verifying them is a "
                "shared task of the province and the coalition.",
                "Both sides needed one definition of the problem before dividing the work.",
                kind="shared_statement",
            ),
            DecisionData(
                "d_f2_audit",
                "The coalition audits six pilot RWs with a verification form agreed with Dinas "
                "Sosial.",
            ),
        ),
    ),
    MeetingData(
        slug="f3",
        forum="fkb",
        title="Forum Koordinasi #2: formulir verifikasi bersama",
        starts_at=wib("2020-07-21 10:00"),
        hours=2,
        mode="online",
        location=ZOOM,
        agenda="1. The joint verification form\n2. Training kelurahan staff\n3. Help desks",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Dinas Sosial presented the joint verification form (14 questions, aligned with the
            DTKS indicators) and the plan to train kelurahan staff. SPRI asked for a question
            on income lost during PSBB, which was added.

            JMK offered a help desk for the women's group in Tanah Merah, whose members had
            trouble registering.
            """
        ),
        minutes_circulated_on=day("2020-07-24"),
        attendance=(
            Seat("dinsos", "chair", AGUS),
            Seat("hendra", "facilitator"),
            Seat("spri", "participant", SRI),
            Seat("koalisi", "participant", FAJAR),
            Seat("lbh", "participant", NUR),
            Seat("jmk", "participant", EKO),
            Seat("cilincing", "participant", RATNA),
            Seat("tanahmerah", "participant", HANA),
        ),
        decisions=(
            DecisionData(
                "d_f3_form",
                "Adopt the joint verification form, with a question on income lost under PSBB.",
            ),
        ),
    ),
    MeetingData(
        slug="v1",
        forum="verif",
        title="Verifikasi DTKS: batch 1 (Jakarta Utara dan Timur)",
        starts_at=wib("2020-08-11 09:00"),
        hours=3,
        mode="in_person",
        location=DINSOS_OFFICE,
        agenda="1. Batch 1 list\n2. Field visits\n3. Timeline",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Batch 1 holds **1,200 households** from the complaint list and the pilot audit.
            Sudinsos Jakarta Utara and the Kampung Melayu kelurahan will visit every household
            with the joint form; SPRI organisers accompany the visits.
            """
        ),
        minutes_circulated_on=day("2020-08-14"),
        attendance=(
            Seat("dinsos", "chair", AGUS),
            Seat("sudinsos", "facilitator", BAMBANG),
            Seat("kelurahan", "participant", TEGUH),
            Seat("spri", "participant", SRI),
            Seat("koalisi", "participant", FAJAR),
            Seat("rw05", "participant", JOKO),
        ),
        decisions=(
            DecisionData(
                "d_v1_batch",
                "Verify batch 1 (1,200 households) by field visits before the end of September.",
            ),
        ),
    ),
    MeetingData(
        slug="k2",
        forum="kerja",
        title="Desain audit sosial tahap 1",
        starts_at=wib("2020-08-25 19:30"),
        hours=2,
        mode="online",
        location=ZOOM,
        agenda="1. Sample of RWs\n2. Volunteers\n3. Data protection",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Dr. Andini Prameswari advised visiting every household in the six pilot RWs rather
            than sampling, so that the audit can be checked name by name. ICW will analyse the
            complaints by type; FTA Jakarta will compare them with the bansos budget.
            """
        ),
        minutes_circulated_on=day("2020-08-27"),
        attendance=(
            Seat("koalisi", "chair", FAJAR),
            Seat("spri", "facilitator", SRI),
            Seat("researcher", "participant"),
            Seat("icw", "participant", DEDI),
            Seat("fta", "participant", LINA),
            Seat("jmk", "participant", EKO),
            Seat("lbh", "participant", NUR),
        ),
        decisions=(
            DecisionData(
                "d_k2_census",
                "Visit every household in the six pilot RWs instead of a sample.",
                "A census can be checked name by name against DTKS.",
            ),
        ),
    ),
    MeetingData(
        slug="f4",
        forum="fkb",
        title="Forum Koordinasi #3: hasil audit sosial tahap 1",
        starts_at=wib("2020-09-15 10:00"),
        hours=2,
        mode="online",
        location=ZOOM,
        agenda="1. Social audit results\n2. Batch 1 progress\n3. Submission to Kemensos",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            SPRI presented phase 1 of the social audit: **2,310 households** visited in six
            RWs, **1,036** eligible but unserved, 71% of them not in DTKS. Dinas Sosial accepted
            the findings as input to verification.

            Pak Hendra asked both sides to agree a date for the submission to Kemensos so that
            the December cycle is not missed.
            """
        ),
        minutes_circulated_on=day("2020-09-18"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("icw", "participant", DEDI),
            Seat("rw05", "participant", JOKO),
            Seat("cilincing", "participant", RATNA),
            Seat("tanahmerah", "participant", HANA),
            Seat("researcher", "observer"),
            Seat("media", "observer", PUTRI),
        ),
        decisions=(
            DecisionData(
                "d_f4_accept",
                "Accept the social audit's phase 1 findings as input to DTKS verification.",
            ),
            DecisionData(
                "d_f4_submit",
                "Submit verified households to Kemensos in the December update cycle.",
            ),
        ),
    ),
    MeetingData(
        slug="v2",
        forum="verif",
        title="Verifikasi DTKS: pengajuan ke Kemensos",
        starts_at=wib("2020-10-13 09:00"),
        hours=2,
        mode="hybrid",
        location=f"{DINSOS_OFFICE} and {ZOOM}",
        agenda="1. Batch 1 results\n2. The submission file\n3. Kemensos timeline",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Field visits reached 860 of the 1,200 households; 1,420 households (batch 1 and
            earlier lists) are ready for submission. Ibu Maria Simanjuntak from Kemensos joined
            online and explained the quarterly determination.
            """
        ),
        minutes_circulated_on=day("2020-10-16"),
        attendance=(
            Seat("dinsos", "chair", AGUS),
            Seat("sudinsos", "facilitator", BAMBANG),
            Seat("kemensos", "participant", MARIA),
            Seat("kelurahan", "participant", TEGUH),
            Seat("spri", "participant", SRI),
            Seat("koalisi", "participant", FAJAR),
        ),
        decisions=(
            DecisionData(
                "d_v2_file", "Submit 1,420 verified households in one file through SIKS-NG."
            ),
        ),
    ),
    MeetingData(
        slug="f5",
        forum="fkb",
        title="Forum Koordinasi #4: pengaduan dan sanggahan",
        starts_at=wib("2020-11-17 10:00"),
        hours=2,
        mode="hybrid",
        location=f"{DINSOS_OFFICE} and {ZOOM}",
        agenda="1. Appeals (sanggahan)\n2. A guide for residents",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Residents do not know how to check their DTKS status or appeal. ICW and the
            coalition will write a plain-language guide; Dinas Sosial will check it.

            Pak Hendra thanked the coalition publicly for the audit and shared the Governor's
            appreciation.
            """
        ),
        minutes_circulated_on=day("2020-11-20"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("icw", "participant", DEDI),
            Seat("lbh", "participant", NUR),
            Seat("jmk", "participant", EKO),
            Seat("tanahmerah", "participant", HANA),
            Seat("cilincing", "participant", RATNA),
        ),
        decisions=(
            DecisionData(
                "d_f5_guide", "Publish a residents' guide to checking DTKS status and appealing."
            ),
        ),
    ),
    MeetingData(
        slug="f6",
        forum="fkb",
        title="Forum Koordinasi #5: evaluasi 2020 dan audit tahap 2",
        starts_at=wib("2021-01-19 10:00"),
        hours=2,
        mode="online",
        location=ZOOM,
        agenda="1. What 2020 achieved\n2. Phase 2 of the audit",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            The December submission reached Kemensos on 15 January, two weeks late. The forum
            agreed a second audit phase in 20 more RWs. Warga RW 05 could not join online.

            The minutes were circulated three weeks late because the secretariat was ill.
            """
        ),
        minutes_circulated_on=day("2021-02-10"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("fta", "participant", LINA),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO, attended=False),
            Seat("researcher", "observer"),
        ),
        decisions=(DecisionData("d_f6_phase2", "Run the social audit's phase 2 in 20 more RWs."),),
    ),
    MeetingData(
        slug="v3",
        forum="verif",
        title="Verifikasi DTKS: rumah tangga yang ditolak",
        starts_at=wib("2021-02-09 09:00"),
        hours=2.5,
        mode="in_person",
        location=DINSOS_OFFICE,
        agenda="1. 310 rejected households\n2. Joint revisits",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Sudinsos Jakarta Utara rejected 310 households in Cilincing without field visits.
            SPRI objected strongly. The meeting agreed joint revisits by a team from both
            sides.
            """
        ),
        minutes_circulated_on=day("2021-02-12"),
        attendance=(
            Seat("dinsos", "chair", AGUS),
            Seat("sudinsos", "facilitator", BAMBANG),
            Seat("kelurahan", "participant", TEGUH),
            Seat("spri", "participant", SRI),
            Seat("koalisi", "participant", FAJAR),
            Seat("cilincing", "participant", RATNA),
        ),
        decisions=(
            DecisionData("d_v3_revisit", "Revisit the 310 rejected households with a joint team."),
        ),
    ),
    MeetingData(
        slug="f7",
        forum="fkb",
        title="Forum Koordinasi #6: kesepakatan berbagi data",
        starts_at=wib("2021-03-16 10:00"),
        hours=2.5,
        mode="hybrid",
        location=f"{DINSOS_OFFICE} and {ZOOM}",
        agenda="1. Data-sharing agreement\n2. A written data-update procedure",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Dinas Sosial agreed to share, every month, the anonymised status of every household
            the coalition proposed. LBH Jakarta checked the agreement against personal-data
            rules.

            The forum will write its way of working down as a data-update procedure (SOP);
            Pak Hendra will take it to the Governor's office.
            """
        ),
        minutes_circulated_on=day("2021-03-19"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("kemensos", "participant", MARIA),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("lbh", "participant", NUR),
            Seat("icw", "participant", DEDI),
            Seat("fta", "participant", LINA),
            Seat("jmk", "participant", EKO),
        ),
        decisions=(
            DecisionData(
                "d_f7_share",
                "Dinas Sosial shares the anonymised DTKS status of proposed households monthly.",
            ),
            DecisionData(
                "d_f7_procedure",
                "Draft a written data-update procedure for the Governor's office.",
            ),
        ),
    ),
    MeetingData(
        slug="k3",
        forum="kerja",
        title="Koalisi: anggaran bansos dan audit tahap 2",
        starts_at=wib("2021-04-06 19:30"),
        hours=2,
        mode="online",
        location=ZOOM,
        agenda="1. Budget realisation 2020\n2. Phase 2 progress",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            FTA Jakarta will analyse the 2020 bansos budget realisation for the forum. Phase 2
            of the audit covers 9 of 20 RWs so far; volunteers are tired after a year.
            """
        ),
        minutes_circulated_on=day("2021-04-08"),
        attendance=(
            Seat("koalisi", "chair", FAJAR),
            Seat("spri", "facilitator", SRI),
            Seat("fta", "participant", LINA),
            Seat("icw", "participant", DEDI),
            Seat("jmk", "participant", EKO),
            Seat("lbh", "participant", NUR),
            Seat("researcher", "participant"),
        ),
        decisions=(DecisionData("d_k3_budget", "Present an analysis of the 2020 bansos budget."),),
    ),
    MeetingData(
        slug="f8",
        forum="fkb",
        title="Forum Koordinasi #7: prosedur pemutakhiran data dan instruksi gubernur",
        starts_at=wib("2021-06-15 10:00"),
        hours=3,
        mode="in_person",
        location="Balai Kota DKI Jakarta",
        agenda="1. The data-update procedure\n2. Making it binding",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            The forum adopted the data-update procedure: coalition lists → joint form → field
            visit → monthly submission → status shared back. Ibu Yuni Astuti announced that the
            Governor's office will issue an instruction making the procedure binding on every
            DTKS update cycle.

            **Keputusan / Decisions:** adopt the procedure; ask for the Governor's instruction.
            """
        ),
        minutes_circulated_on=day("2021-06-18"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("kemensos", "participant", MARIA),
            Seat("sudinsos", "participant", BAMBANG),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("icw", "participant", DEDI),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO),
            Seat("cilincing", "participant", RATNA),
            Seat("media", "observer", PUTRI),
        ),
        decisions=(
            DecisionData(
                "d_f8_procedure",
                "Adopt the data-update procedure agreed in the forum.",
            ),
            DecisionData(
                "d_f8_instruction",
                "Ask the Governor to instruct Dinas Sosial to process coalition-verified "
                "households in every DTKS update cycle (illustrative instruction).",
                "Makes the forum's procedure outlast the people who built it.",
                kind="formalisation",
            ),
        ),
    ),
    MeetingData(
        slug="f9",
        forum="fkb",
        title="Forum Koordinasi #8 (dibatalkan: PPKM Darurat)",
        starts_at=wib("2021-07-13 10:00"),
        hours=2,
        mode="online",
        location=ZOOM,
        agenda="1. First cycle under the instruction",
        status="cancelled",
    ),
    MeetingData(
        slug="v4",
        forum="verif",
        title="Verifikasi DTKS: siklus pertama berdasarkan instruksi",
        starts_at=wib("2021-08-10 09:00"),
        hours=2,
        mode="online",
        location=ZOOM,
        agenda="1. The first update cycle under the instruction",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            The first update cycle under the Governor's instruction processed 870 households,
            including the Tanah Merah help desk's cases.
            """
        ),
        minutes_circulated_on=day("2021-08-13"),
        attendance=(
            Seat("dinsos", "chair", AGUS),
            Seat("sudinsos", "facilitator", BAMBANG),
            Seat("kemensos", "participant", MARIA),
            Seat("kelurahan", "participant", TEGUH),
            Seat("spri", "participant", SRI),
            Seat("koalisi", "participant", FAJAR),
            Seat("tanahmerah", "participant", HANA),
        ),
        decisions=(DecisionData("d_v4_cycle", "Run update cycles monthly under the instruction."),),
    ),
    MeetingData(
        slug="f10",
        forum="fkb",
        title="Forum Koordinasi #8: transparansi daftar penerima",
        starts_at=wib("2021-09-21 10:00"),
        hours=2,
        mode="hybrid",
        location=f"{DINSOS_OFFICE} and {ZOOM}",
        agenda="1. Publishing recipient lists\n2. Accompanying appeals",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Residents asked to see who receives aid in their RW. Dinas Sosial agreed to post
            recipient lists on kelurahan notice boards and online by the end of November.
            SPRI will accompany Cilincing residents who appeal wrong exclusions.
            """
        ),
        minutes_circulated_on=day("2021-09-24"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("lbh", "participant", NUR),
            Seat("icw", "participant", DEDI),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO),
            Seat("cilincing", "participant", RATNA),
            Seat("tanahmerah", "participant", HANA),
            Seat("media", "observer", PUTRI),
        ),
        decisions=(
            DecisionData(
                "d_f10_publish",
                "Post recipient lists per RW on kelurahan notice boards and online.",
            ),
            DecisionData(
                "d_f10_appeals", "SPRI accompanies residents who appeal wrong exclusions."
            ),
        ),
    ),
    MeetingData(
        slug="f11",
        forum="fkb",
        title="Forum Koordinasi #9: evaluasi tahun 2021",
        starts_at=wib("2021-12-14 10:00"),
        hours=2,
        mode="hybrid",
        location=f"{DINSOS_OFFICE} and {ZOOM}",
        agenda="1. The year's figures\n2. Recipient lists",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Dinas Sosial withdrew its promise to post recipient lists, citing personal-data
            rules; residents may check their own status at the kelurahan or online. The
            coalition recorded its objection. The decision was not by consensus.

            The minutes were circulated late, after the year-end holidays.
            """
        ),
        minutes_circulated_on=day("2022-01-05"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("icw", "participant", DEDI, attended=False),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO),
            Seat("cilincing", "participant", RATNA),
            Seat("researcher", "observer"),
        ),
        decisions=(
            DecisionData(
                "d_f11_lists",
                "Recipient lists will not be posted; residents check their own status.",
                "Dinas Sosial's reading of personal-data rules; the coalition disagreed.",
                by_consensus=False,
            ),
        ),
    ),
    MeetingData(
        slug="f12",
        forum="fkb",
        title="Forum Koordinasi #10: sisa rumah tangga dan laporan akhir audit",
        starts_at=wib("2022-03-15 10:00"),
        hours=2,
        mode="in_person",
        location=DINSOS_OFFICE,
        agenda="1. The remaining households\n2. The audit's final report",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            640 households from phase 2 of the audit are still unprocessed. Dinas Sosial will
            process them by the end of May; the coalition will hand over its final audit report
            and dataset by mid-May.
            """
        ),
        minutes_circulated_on=day("2022-03-18"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("kemensos", "participant", MARIA),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("icw", "participant", DEDI),
            Seat("fta", "participant", LINA),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO),
            Seat("tanahmerah", "participant", HANA),
        ),
        decisions=(
            DecisionData("d_f12_remaining", "Process the remaining 640 households by May."),
            DecisionData("d_f12_report", "The coalition hands over its final audit report."),
        ),
    ),
    MeetingData(
        slug="f13",
        forum="fkb",
        title="Forum Koordinasi #11: evaluasi bersama dan keberlanjutan forum",
        starts_at=wib("2022-06-14 10:00"),
        hours=3,
        mode="in_person",
        location="Balai Kota DKI Jakarta",
        agenda="1. Two years of the forum\n2. After the pandemic",
        minutes=minutes(
            """
            ## Ringkasan / Summary

            Two years on, about 4,300 households proposed by the coalition have been verified
            and added to DTKS (illustrative figure). Both sides credited the early reply to the
            first list and Pak Hendra's facilitation.

            The forum will continue quarterly after the pandemic, hosted by Dinas Sosial.
            """
        ),
        minutes_circulated_on=day("2022-06-17"),
        attendance=(
            Seat("dinsos", "chair", RETNO),
            Seat("hendra", "facilitator"),
            Seat("pemprov", "participant", YUNI),
            Seat("kemensos", "participant", MARIA),
            Seat("sudinsos", "participant", BAMBANG),
            Seat("spri", "participant", WAHYU),
            Seat("koalisi", "participant", FAJAR),
            Seat("icw", "participant", DEDI),
            Seat("jmk", "participant", EKO),
            Seat("rw05", "participant", JOKO),
            Seat("cilincing", "participant", RATNA),
            Seat("researcher", "observer"),
        ),
        decisions=(
            DecisionData("d_f13_quarterly", "Continue the forum quarterly after the pandemic."),
        ),
    ),
    MeetingData(
        slug="f14",
        forum="fkb",
        title="Forum Koordinasi #12: forum triwulanan pasca-pandemi",
        starts_at=wib("2022-09-13 10:00"),
        hours=2,
        mode="in_person",
        location=DINSOS_OFFICE,
        agenda="1. First quarterly meeting\n2. Remaining households",
        status="planned",
        attendance=(
            Seat("dinsos", "chair", RETNO, attended=False),
            Seat("hendra", "facilitator", attended=False),
            Seat("pemprov", "participant", YUNI, attended=False),
            Seat("spri", "participant", WAHYU, attended=False),
            Seat("koalisi", "participant", FAJAR, attended=False),
            Seat("jmk", "participant", EKO, attended=False),
        ),
    ),
]

# --- Commitments ----------------------------------------------------------------------------

COMMITMENTS: list[CommitmentData] = [
    CommitmentData(
        "c_check",
        "dinsos",
        "koalisi",
        "Check every household on the coalition's list against DTKS and reply with its status.",
        day("2020-05-19"),
        day("2020-06-30"),
        meeting="f1",
        decision="d_f1_check",
        steps=(
            Step("in_progress", day("2020-05-25"), "Data officers assigned."),
            Step(
                "fulfilled",
                day("2020-06-12"),
                "Replies on all 1,480 households sent.",
                evidence=("int_spri",),
            ),
        ),
    ),
    CommitmentData(
        "c_list",
        "koalisi",
        "dinsos",
        "Send one consolidated list with NIK and address for every household.",
        day("2020-05-19"),
        day("2020-06-02"),
        meeting="f1",
        steps=(
            Step("in_progress", day("2020-05-20"), "Posts merging their spreadsheets."),
            Step("fulfilled", day("2020-05-30"), "List sent by encrypted e-mail."),
        ),
    ),
    CommitmentData(
        "c_forum",
        "hendra",
        "koalisi",
        "Arrange the monthly forum and circulate minutes within a week.",
        day("2020-05-19"),
        day("2020-06-16"),
        meeting="f1",
        decision="d_f1_forum",
        steps=(Step("fulfilled", day("2020-06-10"), "Terms of reference and invitations sent."),),
    ),
    CommitmentData(
        "c_pilot",
        "spri",
        "dinsos",
        "Audit six pilot RWs, including RW 05 Kampung Melayu and Cilincing, with the joint form.",
        day("2020-06-16"),
        day("2020-08-31"),
        meeting="f2",
        decision="d_f2_audit",
        steps=(
            Step("in_progress", day("2020-07-01"), "Volunteers trained."),
            Step(
                "fulfilled",
                day("2020-09-10"),
                "Audit finished ten days late after a rise in cases.",
                evidence=("dataset_audit",),
            ),
        ),
    ),
    CommitmentData(
        "c_form",
        "dinsos",
        "koalisi",
        "Provide the joint verification form and train kelurahan staff.",
        day("2020-06-16"),
        day("2020-07-21"),
        meeting="f2",
        steps=(Step("fulfilled", day("2020-07-17"), "Form shared; two training sessions held."),),
    ),
    CommitmentData(
        "c_helpdesk",
        "jmk",
        "tanahmerah",
        "Run a DTKS help desk for the Tanah Merah women's group.",
        day("2020-07-21"),
        day("2020-08-31"),
        meeting="f3",
        steps=(Step("fulfilled", day("2020-08-25"), "Help desk open on Saturdays."),),
    ),
    CommitmentData(
        "c_visits",
        "sudinsos",
        "spri",
        "Visit the batch 1 households in Jakarta Utara with the joint form.",
        day("2020-08-11"),
        day("2020-09-30"),
        meeting="v1",
        decision="d_v1_batch",
        steps=(
            Step("in_progress", day("2020-08-20"), "Visits started in Cilincing."),
            Step("partly_fulfilled", day("2020-10-05"), "860 of 1,200 households visited."),
            Step("fulfilled", day("2020-11-10"), "All households visited, six weeks late."),
        ),
    ),
    CommitmentData(
        "c_door",
        "kelurahan",
        "rw05",
        "Door-to-door verification in RW 05 Kampung Melayu.",
        day("2020-08-11"),
        day("2020-09-15"),
        meeting="v1",
        steps=(Step("fulfilled", day("2020-09-12"), "All RW 05 households visited."),),
    ),
    CommitmentData(
        "c_method",
        "researcher",
        "koalisi",
        "Write a methodological note on the audit census.",
        day("2020-08-25"),
        day("2020-09-30"),
        meeting="k2",
        decision="d_k2_census",
        steps=(Step("fulfilled", day("2020-09-28"), "Note shared with the coalition."),),
    ),
    CommitmentData(
        "c_submit",
        "dinsos",
        "kemensos",
        "Submit the verified households to Kemensos in the December update cycle.",
        day("2020-09-15"),
        day("2020-12-31"),
        meeting="f4",
        decision="d_f4_submit",
        steps=(
            Step("in_progress", day("2020-10-01"), "Submission file prepared."),
            Step(
                "fulfilled",
                day("2021-01-15"),
                "Submitted two weeks late after SIKS-NG downtime.",
                evidence=("dataset_dtks",),
            ),
        ),
    ),
    CommitmentData(
        "c_determine",
        "kemensos",
        "dinsos",
        "Process the province's submission in the quarterly DTKS determination.",
        day("2020-10-13"),
        day("2021-01-31"),
        meeting="v2",
        decision="d_v2_file",
        steps=(
            Step("in_progress", day("2020-11-01"), "Matching against civil registry."),
            Step(
                "partly_fulfilled",
                day("2021-02-20"),
                "1,050 of 1,420 households determined; the rest failed the NIK match.",
            ),
        ),
    ),
    CommitmentData(
        "c_guide",
        "icw",
        "koalisi",
        "Publish a plain-language guide to checking DTKS status and appealing.",
        day("2020-11-17"),
        day("2020-12-31"),
        meeting="f5",
        decision="d_f5_guide",
        steps=(Step("fulfilled", day("2020-12-20"), "Guide published and printed."),),
    ),
    CommitmentData(
        "c_phase2",
        "koalisi",
        "dinsos",
        "Run the social audit's phase 2 in 20 more RWs.",
        day("2021-01-19"),
        day("2021-04-30"),
        meeting="f6",
        decision="d_f6_phase2",
        steps=(
            Step("in_progress", day("2021-02-01"), "First RWs visited."),
            Step(
                "fulfilled",
                day("2021-05-10"),
                "18 of 20 RWs audited; two dropped when volunteers left.",
                evidence=("dataset_audit",),
            ),
        ),
    ),
    CommitmentData(
        "c_share",
        "dinsos",
        "koalisi",
        "Share the anonymised DTKS status of proposed households every month.",
        day("2021-03-16"),
        day("2021-04-16"),
        meeting="f7",
        decision="d_f7_share",
        steps=(
            Step("in_progress", day("2021-03-20"), "Format agreed."),
            Step("fulfilled", day("2021-04-12"), "First monthly status report shared."),
        ),
    ),
    CommitmentData(
        "c_endorse",
        "hendra",
        "koalisi",
        "Take the data-update procedure to the Governor's office for endorsement.",
        day("2021-03-16"),
        day("2021-05-31"),
        meeting="f7",
        decision="d_f7_procedure",
        steps=(
            Step("in_progress", day("2021-03-22"), "Drafting with Dinas Sosial."),
            Step("fulfilled", day("2021-06-10"), "Endorsed by the Governor's office, late."),
        ),
    ),
    CommitmentData(
        "c_budget",
        "fta",
        "koalisi",
        "Analyse the 2020 bansos budget realisation for the forum.",
        day("2021-04-06"),
        day("2021-06-15"),
        meeting="k3",
        decision="d_k3_budget",
        steps=(
            Step(
                "partly_fulfilled",
                day("2021-06-15"),
                "Provincial figures analysed; district figures were not released.",
            ),
        ),
    ),
    CommitmentData(
        "c_instruction",
        "pemprov",
        "koalisi",
        "Issue the Governor's instruction on processing coalition-verified households.",
        day("2021-06-15"),
        day("2021-07-31"),
        meeting="f8",
        decision="d_f8_instruction",
        steps=(
            Step("in_progress", day("2021-06-21"), "Draft with the legal bureau."),
            Step(
                "fulfilled",
                day("2021-07-05"),
                "Instruction issued (illustrative).",
                evidence=("doc_instruction",),
            ),
        ),
    ),
    CommitmentData(
        "c_publish",
        "dinsos",
        "rw05",
        "Post recipient lists per RW on kelurahan notice boards and online.",
        day("2021-09-21"),
        day("2021-11-30"),
        meeting="f10",
        decision="d_f10_publish",
        steps=(
            Step("in_progress", day("2021-10-05"), "Legal review requested."),
            Step(
                "broken",
                day("2021-12-14"),
                "Withdrawn by Dinas Sosial citing personal-data rules.",
                evidence=("min_f11",),
            ),
        ),
    ),
    CommitmentData(
        "c_appeals",
        "spri",
        "cilincing",
        "Accompany Cilincing residents who appeal wrong exclusions.",
        day("2021-09-21"),
        day("2021-12-31"),
        meeting="f10",
        decision="d_f10_appeals",
        steps=(
            Step("in_progress", day("2021-10-01"), "Weekly appeal clinic."),
            Step("fulfilled", day("2021-12-20"), "112 appeals filed."),
        ),
    ),
    CommitmentData(
        "c_remaining",
        "dinsos",
        "koalisi",
        "Process the remaining 640 households from the audit's phase 2.",
        day("2022-03-15"),
        day("2022-05-31"),
        meeting="f12",
        decision="d_f12_remaining",
        steps=(Step("in_progress", day("2022-03-28"), "240 processed so far."),),
    ),
    CommitmentData(
        "c_report",
        "koalisi",
        "dinsos",
        "Hand over the social audit's final report and dataset.",
        day("2022-03-15"),
        day("2022-05-15"),
        meeting="f12",
        decision="d_f12_report",
    ),
    CommitmentData(
        "c_quarterly",
        "dinsos",
        "koalisi",
        "Host the forum quarterly after the pandemic.",
        day("2022-06-14"),
        day("2022-09-30"),
        meeting="f13",
        decision="d_f13_quarterly",
    ),
]

# --- Trust events ---------------------------------------------------------------------------

TRUST_EVENTS: list[TrustEventData] = [
    # Prehistory, before the first meeting: mostly cooperative.
    TrustEventData(
        day("2018-10-10"),
        "dinsos",
        "spri",
        "information_shared",
        "procedural",
        "positive",
        1,
        "Dinas Sosial explained social-assistance data procedures at an SPRI members' meeting "
        "(illustrative).",
    ),
    TrustEventData(
        day("2019-03-14"),
        "spri",
        "pemprov",
        "joint_action",
        "rational",
        "positive",
        2,
        "SPRI helped the province register informal workers for a city programme (illustrative).",
    ),
    TrustEventData(
        day("2019-09-20"),
        "hendra",
        "spri",
        "recognition",
        "affinitive",
        "positive",
        1,
        "Invited SPRI organisers to speak at the Governor's town-hall meeting (illustrative).",
        evidence=("int_hendra",),
    ),
    TrustEventData(
        day("2020-04-12"),
        "spri",
        "dinsos",
        "information_shared",
        "rational",
        "positive",
        1,
        "Sent a first list of 300 unserved households to a Dinas Sosial contact.",
    ),
    TrustEventData(
        day("2020-04-28"),
        "koalisi",
        "pemprov",
        "alternative_venue",
        "procedural",
        "negative",
        2,
        "Opened public complaint posts and held an online press conference on unserved "
        "households instead of raising them with the province first.",
        evidence=("news_posko",),
    ),
    # The collaboration.
    TrustEventData(
        day("2020-05-10"),
        "koalisi",
        "dinsos",
        "public_criticism",
        "rational",
        "negative",
        2,
        "Press release: the province's recipient data are years out of date.",
        evidence=("news_criticism",),
    ),
    TrustEventData(
        day("2020-05-19"),
        "dinsos",
        "koalisi",
        "recognition",
        "procedural",
        "positive",
        2,
        "Dinas Sosial called the coalition's list the best map of DTKS's blind spots.",
        meeting="f1",
    ),
    TrustEventData(
        day("2020-06-12"),
        "dinsos",
        "koalisi",
        "promise_kept",
        "rational",
        "positive",
        2,
        "Replied on all 1,480 households ahead of the deadline.",
        evidence=("int_spri",),
    ),
    TrustEventData(
        day("2020-06-16"),
        "dinsos",
        None,
        "joint_action",
        "affinitive",
        "positive",
        2,
        "The forum wrote and endorsed a joint problem statement.",
        meeting="f2",
        evidence=("min_f2",),
    ),
    TrustEventData(
        day("2020-07-17"),
        "dinsos",
        "spri",
        "promise_kept",
        "rational",
        "positive",
        1,
        "Verification form delivered and kelurahan staff trained.",
    ),
    TrustEventData(
        day("2020-09-15"),
        "spri",
        "dinsos",
        "information_shared",
        "rational",
        "positive",
        2,
        "Shared the full phase 1 audit dataset, household by household.",
        meeting="f4",
        evidence=("dataset_audit",),
    ),
    TrustEventData(
        day("2020-11-17"),
        "hendra",
        "koalisi",
        "recognition",
        "affinitive",
        "positive",
        1,
        "Thanked the coalition publicly and passed on the Governor's appreciation.",
        meeting="f5",
    ),
    TrustEventData(
        day("2021-02-09"),
        "sudinsos",
        "spri",
        "conflict",
        "procedural",
        "negative",
        1,
        "310 households rejected without field visits; SPRI objected strongly.",
        meeting="v3",
    ),
    TrustEventData(
        day("2021-03-16"),
        "dinsos",
        "koalisi",
        "information_shared",
        "procedural",
        "positive",
        3,
        "Agreed to share the DTKS status of proposed households every month.",
        meeting="f7",
        evidence=("int_dinsos",),
    ),
    TrustEventData(
        day("2021-04-12"),
        "dinsos",
        "koalisi",
        "promise_kept",
        "rational",
        "positive",
        1,
        "First monthly status report shared on time.",
    ),
    TrustEventData(
        day("2021-06-15"),
        "pemprov",
        "koalisi",
        "joint_action",
        "procedural",
        "positive",
        3,
        "The Governor's office adopted the forum's data-update procedure.",
        meeting="f8",
        evidence=("min_f8",),
    ),
    TrustEventData(
        day("2021-07-05"),
        "pemprov",
        "koalisi",
        "promise_kept",
        "procedural",
        "positive",
        2,
        "The Governor's instruction was issued (illustrative).",
        evidence=("doc_instruction",),
    ),
    TrustEventData(
        day("2021-07-12"),
        "dinsos",
        None,
        "apology",
        "procedural",
        "positive",
        1,
        "Apologised for cancelling the July forum under PPKM Darurat and sent a written update.",
        meeting="f9",
    ),
    TrustEventData(
        day("2021-12-14"),
        "dinsos",
        "rw05",
        "promise_broken",
        "rational",
        "negative",
        2,
        "Withdrew the promise to post recipient lists per RW.",
        meeting="f11",
        evidence=("min_f11",),
    ),
    TrustEventData(
        day("2021-12-20"),
        "spri",
        "cilincing",
        "promise_kept",
        "affinitive",
        "positive",
        1,
        "Accompanied 112 appeals from Cilincing residents.",
    ),
    TrustEventData(
        day("2022-03-20"),
        "koalisi",
        "dinsos",
        "recognition",
        "affinitive",
        "positive",
        1,
        "Credited Dinas Sosial's data update in a radio interview (illustrative).",
    ),
    TrustEventData(
        day("2022-06-14"),
        "dinsos",
        None,
        "joint_action",
        "procedural",
        "positive",
        2,
        "Joint two-year evaluation; both sides agreed to keep the forum.",
        meeting="f13",
        evidence=("int_hendra",),
    ),
]

# --- Outcomes -------------------------------------------------------------------------------

OUTCOMES: list[OutcomeData] = [
    OutcomeData(
        slug="dtks",
        title="Households verified and added to DTKS",
        level="outcome",
        description="Poor households proposed by the coalition, verified by Dinas Sosial and "
        "added to DTKS. Target and figures are illustrative.",
        unit="households",
        baseline=0,
        target=5000,
        started_on=day("2020-06-16"),
        due_on=day("2022-06-30"),
        measurements=(
            MeasurementData(day("2020-10-31"), 860, "Batch 1 verified.", ("dataset_dtks",)),
            MeasurementData(
                day("2021-02-28"),
                1050,
                "First Kemensos determination: 1,050 of 1,420 households.",
                ("dataset_dtks",),
            ),
            MeasurementData(day("2021-06-30"), 2150, "Before the instruction."),
            MeasurementData(
                day("2021-09-30"), 3020, "First cycles under the instruction.", ("dataset_dtks",)
            ),
            MeasurementData(day("2021-12-31"), 3760, "Year-end recap."),
            MeasurementData(day("2022-03-31"), 4120, "640 households still pending."),
            MeasurementData(
                day("2022-06-30"), 4360, "Two-year evaluation figure.", ("dataset_dtks",)
            ),
        ),
        commitments=("c_check", "c_submit", "c_determine", "c_instruction", "c_remaining"),
        meetings=("v1", "v2", "v3", "v4", "f8", "f13"),
    ),
    OutcomeData(
        slug="aid",
        parent="dtks",
        weight=2.0,
        title="Residents who received aid after advocacy",
        level="small_win",
        description="Households on the coalition's lists that received bansos after the "
        "forum took up their case (illustrative figures).",
        unit="households",
        baseline=0,
        target=2000,
        started_on=day("2020-05-19"),
        due_on=day("2022-06-30"),
        measurements=(
            MeasurementData(
                day("2020-06-30"), 240, "Added to the food-package round.", ("obs_posko",)
            ),
            MeasurementData(day("2020-09-30"), 610, "After batch 1 visits."),
            MeasurementData(day("2021-01-31"), 980, "After the December submission."),
            MeasurementData(day("2021-06-30"), 1480, "Reported to the forum.", ("int_spri",)),
            MeasurementData(day("2021-12-31"), 1790, "Including appeals from Cilincing."),
            MeasurementData(day("2022-06-30"), 1930, "Two-year evaluation figure."),
        ),
        commitments=("c_check", "c_list", "c_helpdesk", "c_appeals"),
        meetings=("f1", "f2", "f10"),
    ),
    OutcomeData(
        slug="audit",
        parent="dtks",
        title="Social audit of unserved households",
        level="joint_fact_finding",
        description="RWs where the coalition visited every household with the joint form.",
        unit="RWs audited",
        baseline=0,
        target=26,
        started_on=day("2020-06-16"),
        due_on=day("2021-04-30"),
        measurements=(
            MeasurementData(day("2020-09-10"), 6, "Phase 1 finished.", ("dataset_audit",)),
            MeasurementData(day("2021-04-06"), 15, "Phase 2 under way."),
            MeasurementData(
                day("2021-05-10"), 24, "Phase 2 finished; two RWs dropped.", ("dataset_audit",)
            ),
        ),
        commitments=("c_pilot", "c_method", "c_phase2", "c_report"),
        meetings=("k2", "f4", "f6"),
    ),
    OutcomeData(
        slug="procedure",
        parent="dtks",
        title="Data-update procedure agreed",
        level="strategic_plan",
        description="Milestones: draft procedure, forum adoption, Governor's instruction, a "
        "first update cycle run under it.",
        unit="milestones",
        baseline=0,
        target=4,
        started_on=day("2021-03-16"),
        due_on=day("2021-09-30"),
        measurements=(
            MeasurementData(day("2021-03-16"), 1, "Drafting agreed."),
            MeasurementData(day("2021-06-15"), 2, "Adopted by the forum.", ("min_f8",)),
            MeasurementData(day("2021-07-05"), 3, "Instruction issued.", ("doc_instruction",)),
            MeasurementData(day("2021-08-10"), 4, "First cycle run under the instruction."),
        ),
        commitments=("c_share", "c_endorse", "c_instruction"),
        meetings=("f7", "f8", "v4"),
    ),
]

# --- Researchers' assessments ---------------------------------------------------------------

ASSESSMENTS: list[AssessmentData] = [
    AssessmentData(
        "prehistory",
        day("2018-01-01"),
        day("2020-05-04"),
        3,
        "R. Anggraini",
        "Earlier contacts between SPRI and the province were mostly cooperative; one "
        "alternative-venue episode in April 2020. The thesis names a history of interaction "
        "with minimal conflict. (Illustrative coding by an invented coder.)",
        ("thesis", "int_spri"),
    ),
    AssessmentData(
        "prehistory",
        day("2018-01-01"),
        day("2020-05-04"),
        4,
        "D. Nugroho",
        "Cooperation outweighs the April 2020 press conference, which targeted the data, not "
        "the people. (Illustrative coding by an invented coder.)",
        ("thesis",),
    ),
    AssessmentData(
        "facilitative_leadership",
        day("2020-05-19"),
        day("2022-06-14"),
        4,
        "R. Anggraini",
        "A facilitator trusted by both sides turned requests into agreements and carried the "
        "procedure to the Governor; the thesis credits such a leader. (Illustrative coding.)",
        ("thesis", "int_hendra"),
    ),
    AssessmentData(
        "incentives_and_constraints",
        day("2020-04-01"),
        day("2022-06-30"),
        3,
        "D. Nugroho",
        "The pandemic gave both sides a strong incentive; the national determination of DTKS "
        "constrained what the province could promise. (Illustrative coding.)",
        ("thesis", "int_dinsos"),
    ),
]
