"""Which columns each kind of import reads, and how a file's headers are matched to them.

A header matches a field by its name or one of its synonyms in English or Indonesian,
compared without case, accents, punctuation or extra spaces ("Tanggal Rapat",
"tanggal_rapat" and "TANGGAL RAPAT *" are one header). The person can override any
match (``column=field``, or ``column=`` to leave a column out).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from governance.imports.messages import N_, Message, text
from governance.records import fold


class ImportKind(enum.StrEnum):
    STAKEHOLDERS = "stakeholders"
    RELATIONSHIPS = "relationships"
    PARTICIPATIONS = "participations"
    MEETINGS = "meetings"
    ATTENDANCE = "attendance"
    COMMITMENTS = "commitments"
    TRUST_EVENTS = "trust-events"
    MEASUREMENTS = "measurements"

    @property
    def needs_collaboration(self) -> bool:
        """Stakeholders and relationships belong to the shared registry; the rest to a case."""
        return self not in (ImportKind.STAKEHOLDERS, ImportKind.RELATIONSHIPS)


@dataclass(frozen=True)
class Column:
    """A field an import reads: its name, whether it is required, how headers may call it."""

    field: str
    description: str
    example: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


_STAKEHOLDER_WORDS = (
    "stakeholder",
    "name",
    "nama",
    "nama lembaga",
    "nama organisasi",
    "nama instansi",
    "organisation",
    "organization",
    "organisasi",
    "lembaga",
    "instansi",
    "pemangku kepentingan",
    "peserta",
    "participant",
)

COLUMNS: Mapping[ImportKind, tuple[Column, ...]] = {
    ImportKind.STAKEHOLDERS: (
        Column(
            "name",
            N_("Name of the organisation or person"),
            "SPRI DKI Jakarta",
            True,
            (
                "name",
                "nama",
                "nama lembaga",
                "nama organisasi",
                "organisation",
                "organization",
                "organisasi",
                "lembaga",
                "instansi",
                "stakeholder",
                "pemangku kepentingan",
            ),
        ),
        Column(
            "aliases",
            N_("Other names, separated by ;"),
            "Serikat Perjuangan Rakyat Indonesia",
            synonyms=("alias", "other names", "nama lain", "singkatan", "akronim"),
        ),
        Column(
            "kind",
            N_("organisation, person, coalition or group (default organisation)"),
            "organisation",
            synonyms=("type", "jenis", "tipe", "bentuk"),
        ),
        Column(
            "sector",
            N_("government, civil_society, community, private, academic, media, donor or other"),
            "civil_society",
            True,
            ("sektor", "kategori", "category"),
        ),
        Column(
            "description",
            N_("What the stakeholder is or does"),
            "Union of the urban poor",
            synonyms=("deskripsi", "keterangan", "uraian", "notes", "note", "catatan"),
        ),
        Column(
            "email",
            N_("E-mail address (contact detail, personal data)"),
            "",
            synonyms=("e-mail", "surel", "alamat email"),
        ),
        Column(
            "phone",
            N_("Telephone (contact detail, personal data)"),
            "",
            synonyms=(
                "telephone",
                "telepon",
                "telp",
                "no hp",
                "hp",
                "nomor telepon",
                "wa",
                "whatsapp",
            ),
        ),
        Column(
            "address",
            N_("Postal address (contact detail, personal data)"),
            "",
            synonyms=("alamat",),
        ),
        Column("authority", N_("Resource: formal authority, 0–4"), "", synonyms=("kewenangan",)),
        Column("staff", N_("Resource: staff, 0–4"), "", synonyms=("staf", "sdm")),
        Column("budget", N_("Resource: budget, 0–4"), "", synonyms=("anggaran", "dana")),
        Column("data_access", N_("Resource: access to data, 0–4"), "", synonyms=("akses data",)),
        Column("knowledge", N_("Resource: knowledge, 0–4"), "", synonyms=("pengetahuan",)),
    ),
    ImportKind.RELATIONSHIPS: (
        Column(
            "source",
            N_("Stakeholder the tie starts from (name or alias)"),
            "SPRI DKI Jakarta",
            True,
            ("source", "from", "dari", "asal", "pihak 1", "stakeholder 1"),
        ),
        Column(
            "target",
            N_("Stakeholder the tie goes to (name or alias)"),
            "Koalisi Pemantau Bansos",
            True,
            ("target", "to", "ke", "kepada", "tujuan", "pihak 2", "stakeholder 2"),
        ),
        Column(
            "type",
            N_(
                "member_of, represents, funds, reports_to, allied_with, "
                "in_conflict_with, advises, shares_data_with or other"
            ),
            "member_of",
            True,
            ("relationship", "relation", "hubungan", "jenis hubungan", "jenis", "tipe"),
        ),
        Column(
            "started_on",
            N_("When the tie began"),
            "2020-04-01",
            synonyms=("start", "since", "mulai", "sejak", "tanggal mulai"),
        ),
        Column(
            "ended_on",
            N_("When the tie ended"),
            "",
            synonyms=("end", "until", "selesai", "sampai", "berakhir", "tanggal selesai"),
        ),
        Column(
            "strength",
            N_("1 weak, 2 ordinary (default), 3 strong"),
            "2",
            synonyms=("kekuatan", "bobot", "weight"),
        ),
        Column("note", N_("A note"), "", synonyms=("catatan", "keterangan", "notes")),
    ),
    ImportKind.PARTICIPATIONS: (
        Column(
            "stakeholder",
            N_("Stakeholder (name or alias)"),
            "SPRI DKI Jakarta",
            True,
            _STAKEHOLDER_WORDS,
        ),
        Column(
            "role",
            N_("convener, facilitator, participant (default), observer or affected_group"),
            "participant",
            synonyms=("peran", "kedudukan"),
        ),
        Column(
            "joined_on",
            N_("When it joined"),
            "2020-04-15",
            synonyms=("joined", "since", "bergabung", "sejak", "tanggal bergabung"),
        ),
        Column("left_on", N_("When it left"), "", synonyms=("left", "keluar", "tanggal keluar")),
        Column("incentives", N_("What draws it in"), "", synonyms=("insentif", "motivasi")),
        Column("constraints", N_("What holds it back"), "", synonyms=("kendala", "hambatan")),
    ),
    ImportKind.MEETINGS: (
        Column(
            "forum",
            N_("Forum name (may be left out when the collaboration has one forum)"),
            "Forum Pemantauan Bansos",
            synonyms=("forum", "nama forum", "wadah"),
        ),
        Column(
            "title",
            N_("Title of the meeting"),
            "Rapat koordinasi DTKS",
            True,
            ("title", "judul", "meeting", "rapat", "nama rapat", "agenda rapat", "kegiatan"),
        ),
        Column(
            "starts_at",
            N_("Date, or date and time (Jakarta time unless an offset is given)"),
            "2021-03-31",
            True,
            (
                "date",
                "tanggal",
                "tanggal rapat",
                "start",
                "starts",
                "mulai",
                "waktu",
                "waktu mulai",
                "hari tanggal",
                "hari/tanggal",
            ),
        ),
        Column(
            "start_time",
            N_("Start time, when the date column has none"),
            "09:00",
            synonyms=("time", "jam", "pukul", "jam mulai"),
        ),
        Column(
            "ends_at",
            N_("End time, or date and time"),
            "11:00",
            synonyms=("end", "ends", "end time", "selesai", "jam selesai", "waktu selesai"),
        ),
        Column(
            "mode",
            N_("in_person (default), online or hybrid"),
            "in_person",
            synonyms=("moda", "bentuk", "format", "cara"),
        ),
        Column("location", N_("Where"), "Balai Kota", synonyms=("place", "lokasi", "tempat")),
        Column(
            "status",
            N_("planned, held or cancelled (default: held if in the past)"),
            "held",
            synonyms=("keadaan",),
        ),
        Column("agenda", N_("Agenda"), "", synonyms=("acara", "pokok bahasan")),
        Column("minutes", N_("Minutes (Markdown)"), "", synonyms=("notulen", "notula", "risalah")),
        Column(
            "minutes_circulated_on",
            N_("When the minutes were circulated"),
            "",
            synonyms=("minutes circulated", "notulen dibagikan", "tanggal notulen"),
        ),
        Column(
            "stakeholder",
            N_("An attendee (one row per attendee; the meeting's columns repeat)"),
            "SPRI DKI Jakarta",
            synonyms=("attendee", *_STAKEHOLDER_WORDS),
        ),
        Column(
            "invited", N_("Invited: yes (default) or no"), "yes", synonyms=("diundang", "undangan")
        ),
        Column(
            "attended",
            N_("Attended: yes (default) or no"),
            "yes",
            synonyms=("hadir", "kehadiran", "present", "attendance"),
        ),
        Column(
            "role",
            N_("chair, facilitator, participant (default) or observer"),
            "participant",
            synonyms=("peran", "sebagai"),
        ),
        Column(
            "represented_by",
            N_("Who came on the stakeholder's behalf"),
            "",
            synonyms=(
                "representative",
                "diwakili",
                "diwakili oleh",
                "wakil",
                "utusan",
                "nama peserta",
                "nama perwakilan",
            ),
        ),
    ),
    ImportKind.ATTENDANCE: (
        Column(
            "meeting_date",
            N_("Date of the meeting (not needed when the meeting is chosen)"),
            "2021-03-31",
            synonyms=(
                "date",
                "tanggal",
                "tanggal rapat",
                "meeting date",
                "hari tanggal",
                "hari/tanggal",
            ),
        ),
        Column(
            "meeting",
            N_("Title of the meeting, when several fall on one day"),
            "Rapat koordinasi DTKS",
            synonyms=("meeting", "title", "rapat", "judul", "nama rapat", "kegiatan"),
        ),
        Column(
            "forum",
            N_("Forum of the meeting, when several fall on one day"),
            "",
            synonyms=("nama forum",),
        ),
        Column(
            "stakeholder",
            N_("Stakeholder (name or alias)"),
            "SPRI DKI Jakarta",
            True,
            _STAKEHOLDER_WORDS,
        ),
        Column(
            "invited", N_("Invited: yes (default) or no"), "yes", synonyms=("diundang", "undangan")
        ),
        Column(
            "attended",
            N_("Attended: yes (default) or no"),
            "yes",
            synonyms=("hadir", "kehadiran", "present", "attendance"),
        ),
        Column(
            "role",
            N_("chair, facilitator, participant (default) or observer"),
            "participant",
            synonyms=("peran", "sebagai"),
        ),
        Column(
            "represented_by",
            N_("Who came on the stakeholder's behalf"),
            "Ibu Sri",
            synonyms=(
                "representative",
                "diwakili",
                "diwakili oleh",
                "wakil",
                "utusan",
                "nama peserta",
                "nama perwakilan",
            ),
        ),
    ),
    ImportKind.COMMITMENTS: (
        Column(
            "owner",
            N_("Who promised (name or alias)"),
            "Dinas Sosial DKI Jakarta",
            True,
            (
                "owner",
                "pemilik",
                "yang berjanji",
                "penanggung jawab",
                "pj",
                "pihak",
                "stakeholder",
                "instansi",
                "lembaga",
            ),
        ),
        Column(
            "counterpart",
            N_("To whom (name or alias)"),
            "SPRI DKI Jakarta",
            synonyms=("counterpart", "kepada", "mitra", "pihak lawan", "penerima"),
        ),
        Column(
            "description",
            N_("What was promised"),
            "Update the DTKS with the audit findings",
            True,
            ("commitment", "komitmen", "janji", "deskripsi", "uraian", "isi komitmen"),
        ),
        Column(
            "made_on",
            N_("When it was promised"),
            "2020-06-10",
            True,
            ("made", "date", "tanggal", "tanggal komitmen", "dibuat"),
        ),
        Column(
            "due_on",
            N_("When it is due"),
            "2020-08-31",
            synonyms=("due", "deadline", "tenggat", "batas waktu", "tenggat waktu"),
        ),
        Column(
            "status",
            N_("open (default), in_progress, fulfilled, partly_fulfilled, broken or withdrawn"),
            "fulfilled",
            synonyms=("keadaan", "status komitmen"),
        ),
        Column(
            "status_on",
            N_("Date of the status (required unless open)"),
            "2020-08-20",
            synonyms=("status date", "tanggal status", "tanggal terpenuhi", "changed on"),
        ),
        Column(
            "status_note", N_("Note on the status"), "", synonyms=("note", "catatan", "keterangan")
        ),
    ),
    ImportKind.TRUST_EVENTS: (
        Column(
            "occurred_on",
            N_("When it happened"),
            "2020-05-12",
            True,
            ("date", "tanggal", "occurred", "terjadi", "tanggal kejadian"),
        ),
        Column(
            "actor",
            N_("Who did it (name or alias)"),
            "Dinas Sosial DKI Jakarta",
            True,
            ("actor", "pelaku", "aktor", "dari", "stakeholder"),
        ),
        Column(
            "target",
            N_("Towards whom; empty for the whole forum"),
            "SPRI DKI Jakarta",
            synonyms=("target", "sasaran", "kepada", "terhadap"),
        ),
        Column(
            "kind",
            N_(
                "information_shared, promise_kept, promise_broken, joint_action, "
                "recognition, apology, public_criticism, protest, alternative_venue, conflict "
                "or other"
            ),
            "information_shared",
            True,
            ("kind", "jenis", "jenis peristiwa", "event", "peristiwa", "type"),
        ),
        Column(
            "trust_form",
            N_("rational, procedural, affinitive or dispositional"),
            "rational",
            True,
            ("trust form", "form", "bentuk kepercayaan", "bentuk"),
        ),
        Column(
            "valence",
            N_("positive or negative"),
            "positive",
            True,
            ("valence", "arah", "sifat", "valensi", "sign"),
        ),
        Column(
            "severity",
            N_("1 minor (default), 2 notable, 3 major"),
            "1",
            synonyms=("bobot", "tingkat", "weight"),
        ),
        Column(
            "description",
            N_("What happened"),
            "Shared the list of unpaid households",
            synonyms=("deskripsi", "uraian", "keterangan", "catatan"),
        ),
    ),
    ImportKind.MEASUREMENTS: (
        Column(
            "outcome",
            N_("Title of the outcome"),
            "Households added to the DTKS",
            True,
            ("outcome", "hasil", "capaian", "indikator", "judul"),
        ),
        Column(
            "measured_on",
            N_("When it was measured"),
            "2021-06-30",
            True,
            ("date", "tanggal", "measured", "diukur", "tanggal pengukuran"),
        ),
        Column(
            "value",
            N_("The measured value"),
            "12500",
            True,
            ("value", "nilai", "angka", "jumlah", "realisasi"),
        ),
        Column("note", N_("A note"), "", synonyms=("catatan", "keterangan", "sumber", "source")),
    ),
}


def normal_header(text: str) -> str:
    """A header as compared: folded, without ``(…)``, punctuation or extra spaces.

    >>> normal_header("  Tanggal_Rapat (wajib) *"), normal_header("Hari/Tanggal")
    ('tanggal rapat', 'hari tanggal')
    """
    value = re.sub(r"\([^)]*\)", " ", fold(text))
    value = re.sub(r"[_\-./*:#?!]+", " ", value)
    return " ".join(value.split())


@dataclass(frozen=True)
class ColumnMapping:
    """Which field each column of the file feeds (None: not used)."""

    headers: tuple[str, ...]
    fields: tuple[str | None, ...]

    def index(self, field: str) -> int | None:
        try:
            return self.fields.index(field)
        except ValueError:
            return None

    def header(self, field: str) -> str:
        """The file's header of ``field``, or the field's own name when no column feeds it."""
        index = self.index(field)
        return self.headers[index] if index is not None else field

    def as_dict(self) -> dict[str, str | None]:
        return dict(zip(self.headers, self.fields, strict=True))


def detect(
    kind: ImportKind, headers: Sequence[str], overrides: Mapping[str, str] | None = None
) -> tuple[ColumnMapping, dict[str, Message]]:
    """Match the headers to the kind's fields; ``overrides`` (header → field or "") win.

    Also answers the problems, by column header: an override naming an unknown header
    or field, or two columns feeding one field (the first keeps it).
    """
    columns = COLUMNS[kind]
    known = {column.field for column in columns}
    by_word: dict[str, str] = {}
    for column in columns:
        for word in (column.field, *column.synonyms):
            by_word.setdefault(normal_header(word), column.field)
    errors: dict[str, Message] = {}
    chosen: dict[str, str] = {}
    for header, field in (overrides or {}).items():
        matches = [h for h in headers if normal_header(h) == normal_header(header)]
        if not matches:
            errors[header] = text(N_("the file has no column %(column)r"), column=header)
        elif field and field not in known:
            errors[header] = text(
                N_("%(field)r is not a field of a %(kind)s import; choose from %(fields)s"),
                field=field,
                kind=kind.value,
                fields=", ".join(sorted(known)),
            )
        else:
            chosen[normal_header(header)] = field
    fields: list[str | None] = []
    for header in headers:
        key = normal_header(header)
        fields.append((chosen[key] or None) if key in chosen else by_word.get(key))
    # An explicit choice takes a field away from a column that only looked like it.
    explicit = {field for field in chosen.values() if field}
    for index, header in enumerate(headers):
        if normal_header(header) not in chosen and fields[index] in explicit:
            fields[index] = None
    seen: dict[str, str] = {}
    for index, (header, found) in enumerate(zip(headers, fields, strict=True)):
        if found is None:
            continue
        if found in seen:
            errors[header] = text(
                N_(
                    "columns %(first)r and %(second)r both look like %(field)s; "
                    "choose which one to use in the column mapping"
                ),
                first=seen[found],
                second=header,
                field=found,
            )
            fields[index] = None
        else:
            seen[found] = header
    return ColumnMapping(headers=tuple(headers), fields=tuple(fields)), errors


def missing_required(
    kind: ImportKind, mapping: ColumnMapping, *, optional: frozenset[str] = frozenset()
) -> list[Column]:
    """Required fields no column feeds (``optional`` lifts the need, e.g. a chosen meeting)."""
    return [
        column
        for column in COLUMNS[kind]
        if column.required and column.field not in optional and mapping.index(column.field) is None
    ]
