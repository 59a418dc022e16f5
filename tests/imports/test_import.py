"""Importing messy spreadsheets: every problem by row and column, all or nothing, and
nothing added twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.demo.loader import LoadResult
from governance.imports.report import Action
from governance.models import (
    Attendance,
    AuditEntry,
    Commitment,
    CommitmentStatusChange,
    Forum,
    Measurement,
    Meeting,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
)
from governance.stakeholders.models import Stakeholder as StakeholderModel
from governance.vocab import CommitmentStatus, Sector, StakeholderKind
from tests.factories import make_stakeholder
from tests.imports.conftest import Importer, lines


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def rw_sheet(numbers: range) -> str:
    """Stakeholders "RW 01 Kalibaru" … to register, messy like a real list."""
    rows = ["Nama Lembaga ; Sektor ;Jenis"]
    rows += [f"  RW {n:02d} Kalibaru ;Komunitas; kelompok" for n in numbers]
    return "\n".join(rows) + "\n"


class TestStakeholders:
    def test_a_messy_excel_csv_registers_new_ones_and_skips_known_ones(
        self, run: Importer, session: Session
    ) -> None:
        text = (
            "NAMA;  Sektor ;Alias;Keterangan\n"
            "  Yayasan   Sosial Bahagia  ;LSM;YSB | Bahagia;Organisasi  di Jakarta Utara\n"
            "dinas sosial dki jakarta;pemerintah;;\n"  # known, by name, other case
            "SPRI;masyarakat sipil;;\n"  # known by alias
            "Yayasan Sosial Bahagia;LSM;;\n"  # the same row twice
            "Kelompok Tani Marunda;komunitas;;Kelompok petani kota\n"
        )
        before = count(session, Stakeholder)

        report = run("stakeholders", text.encode("utf-8-sig"), collaboration_id=None)

        assert report.ok, lines(report)
        assert report.written
        assert report.source == "CSV, UTF-8 with BOM (Excel), separated by semicolons"
        assert report.counts == {"add": 2, "update": 0, "skip": 3, "error": 0}
        assert [(r.row, r.action) for r in report.rows] == [
            (2, Action.ADD),
            (3, Action.SKIP),
            (4, Action.SKIP),
            (5, Action.SKIP),
            (6, Action.ADD),
        ]
        assert "same as row 2" in report.rows[3].summary
        assert count(session, Stakeholder) == before + 2
        added = session.scalars(
            select(StakeholderModel).where(StakeholderModel.name == "Yayasan Sosial Bahagia")
        ).one()
        assert added.sector is Sector.CIVIL_SOCIETY
        assert added.kind is StakeholderKind.ORGANISATION
        assert added.aliases == ["YSB", "Bahagia"]
        assert added.description == "Organisasi di Jakarta Utara"

    def test_every_write_is_in_the_audit_log_under_the_importer(
        self, run: Importer, session: Session
    ) -> None:
        report = run("stakeholders", "name,sector\nKopi Rakyat,private\n", collaboration_id=None)

        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "stakeholder",
                AuditEntry.record_id == report.rows[0].record_id,
            )
        ).one()
        assert entry.action == "create"
        assert entry.actor == "test import"

    def test_a_missing_required_column_is_named_and_nothing_is_read(self, run: Importer) -> None:
        report = run("stakeholders", "Nama,Keterangan\nKopi Rakyat,warung\n", collaboration_id=None)

        assert not report.written
        assert report.rows == []
        assert len(report.problems) == 1
        assert report.problems[0].row is None
        assert report.problems[0].column == "sector"
        assert "the file has no sector column" in report.problems[0].message

    def test_one_bad_row_means_nothing_is_written_and_every_problem_is_listed(
        self, run: Importer, session: Session
    ) -> None:
        text = (
            "name,sector,kind,budget,email\n"
            "Kopi Rakyat,private,,2,\n"
            "Warung Bu Tini,pedagang,,,\n"
            "Paguyuban Ojek,community,gerombolan,9,tini@\n"
        )
        before = count(session, Stakeholder)

        report = run("stakeholders", text, collaboration_id=None)

        assert not report.written
        assert lines(report) == [
            "row 3, column 'sector': 'pedagang' is not one of: academic, civil_society, "
            "community, donor, government, media, other, private",
            "row 4, column 'budget': '9' must be a whole number from 0 to 4",
            "row 4, column 'kind': 'gerombolan' is not one of: coalition, group, organisation, "
            "person",
        ]
        assert count(session, Stakeholder) == before

    def test_a_service_refusal_names_the_column(self, run: Importer) -> None:
        report = run(
            "stakeholders", "name,sector,email\nKopi Rakyat,private,tini@\n", collaboration_id=None
        )

        assert lines(report) == [
            "row 2, column 'email': is not an e-mail address (expected name@domain)"
        ]


class TestAttendanceSheet:
    """A secretary brings in an attendance sheet of 40 rows with three mistakes."""

    def sheet(self, day: str, *, mistakes: bool) -> bytes:
        header = "No;Tanggal Rapat;Nama Lembaga;Hadir;Diwakili oleh\n"
        rows = []
        for n in range(1, 41):
            name = f"RW {n:02d} Kalibaru"
            date = day
            present = "ya" if n % 5 else "tidak"
            if mistakes and n == 6:
                name = "RW 06 Kalibar"  # a typo: nobody is registered so
            if mistakes and n == 18:
                date = "31/02/2021"  # no such day
            if mistakes and n == 32:
                present = "mungkin"  # not yes or no
            rows.append(f"{n};{date};{name};{present};Pak Ketua RW {n:02d}")
        return (header + "\n".join(rows) + "\n").encode("utf-8-sig")

    def test_mistakes_are_named_by_row_then_the_fixed_sheet_lands_once(
        self, run: Importer, session: Session, demo: LoadResult
    ) -> None:
        assert run("stakeholders", rw_sheet(range(1, 41)), collaboration_id=None).written
        forum = session.scalars(
            select(Forum).where(Forum.name == "Forum Koordinasi Bansos DKI")
        ).one()
        meetings = run(
            "meetings",
            f"forum,judul,tanggal,jam,selesai\n{forum.name},Musyawarah RW Kalibaru,"
            "15 Maret 2021,09.00,11.30\n",
        )
        assert meetings.written, lines(meetings)
        meeting = session.get_one(Meeting, meetings.rows[0].record_id)
        assert meeting.starts_at == dt.datetime(2021, 3, 15, 2, 0, tzinfo=dt.UTC)
        assert meeting.ends_at == dt.datetime(2021, 3, 15, 4, 30, tzinfo=dt.UTC)

        first = run("attendance", self.sheet("15/03/2021", mistakes=True))

        assert not first.written
        problems = lines(first)
        assert problems[0].startswith(
            "row 7, column 'Nama Lembaga': no stakeholder is registered as 'RW 06 Kalibar'; "
            "did you mean 'RW 06 Kalibaru'"
        )
        assert problems[1:] == [
            "row 19, column 'Tanggal Rapat': '31/02/2021' is not a real date "
            "(day is out of range for month)",
            "row 33, column 'Hadir': 'mungkin' is not yes or no; write ya/tidak or yes/no",
        ]
        assert (
            session.scalar(
                select(func.count())
                .select_from(Attendance)
                .where(Attendance.meeting_id == meeting.id)
            )
            == 0
        )

        fixed = run("attendance", self.sheet("15 Mar 2021", mistakes=False))

        assert fixed.written, lines(fixed)
        assert fixed.counts["add"] == 40
        rows = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
        assert len(rows) == 40
        assert sum(not row.attended for row in rows) == 8
        assert {row.represented_by for row in rows} >= {"Pak Ketua RW 01", "Pak Ketua RW 40"}

        again = run("attendance", self.sheet("2021-03-15", mistakes=False))

        assert again.written
        assert again.counts == {"add": 0, "update": 0, "skip": 40, "error": 0}
        assert (
            session.scalar(
                select(func.count())
                .select_from(Attendance)
                .where(Attendance.meeting_id == meeting.id)
            )
            == 40
        )

    def test_a_changed_row_is_updated_and_a_contradiction_in_the_file_is_a_problem(
        self, run: Importer, session: Session
    ) -> None:
        run("stakeholders", rw_sheet(range(1, 3)), collaboration_id=None)
        meeting = (
            run(
                "meetings",
                "forum,title,date\nForum Koordinasi Bansos DKI,Musyawarah,2021-03-15\n",
            )
            .rows[0]
            .record_id
        )
        run("attendance", "nama,hadir\nRW 01 Kalibaru,ya\nRW 02 Kalibaru,ya\n", meeting_id=meeting)

        changed = run("attendance", "nama,hadir\nRW 01 Kalibaru,tidak\n", meeting_id=meeting)
        clash = run(
            "attendance",
            "nama,hadir\nRW 02 Kalibaru,ya\nrw 02 kalibaru,tidak\n",
            meeting_id=meeting,
        )

        assert [(r.row, r.action) for r in changed.rows] == [(2, Action.UPDATE)]
        assert lines(clash) == [
            "row 3, column 'nama': RW 02 Kalibaru is listed twice for this meeting "
            "(rows 2 and 3) with different values; keep one row"
        ]
        attended = {
            row.name: row.attended
            for row in session.execute(
                select(Stakeholder.name, Attendance.attended)
                .join(Attendance, Attendance.stakeholder_id == Stakeholder.id)
                .where(Attendance.meeting_id == meeting)
            )
        }
        assert attended == {"RW 01 Kalibaru": False, "RW 02 Kalibaru": True}

    def test_a_day_with_no_meeting_is_named(self, run: Importer) -> None:
        report = run("attendance", "tanggal,nama\n01/01/2030,SPRI\n")

        assert lines(report) == [
            "row 2, column 'tanggal': no meeting of this collaboration on 2030-01-01; "
            "record the meeting first (import kind: meetings)"
        ]


class TestAmbiguousNames:
    def test_candidates_are_reported_and_a_choice_resolves_them(
        self, run: Importer, session: Session
    ) -> None:
        one = make_stakeholder(session, name="Forum Warga Utara", aliases=["FWU"])
        two = make_stakeholder(session, name="Forum Wanita Usaha", aliases=["FWU"])
        text = "stakeholder,role\nFWU,observer\n"

        report = run("participations", text)

        assert len(report.problems) == 1
        problem = report.problems[0]
        assert (problem.row, problem.column, problem.value) == (2, "stakeholder", "FWU")
        assert [c.id for c in problem.candidates] == sorted(
            [one.id, two.id],
            key=lambda i: "forum wanita usaha" if i == two.id else "forum warga utara",
        )
        assert report.ambiguous() == {"FWU": problem.candidates}

        chosen = run("participations", text, choices={"fwu": two.id})

        assert chosen.written
        assert session.get_one(Participation, chosen.rows[0].record_id).stakeholder_id == two.id

    def test_names_match_without_case_or_accents(self, run: Importer, session: Session) -> None:
        make_stakeholder(session, name="Forum Pemuda Kalibaru")
        report = run("participations", "Nama,Peran\nFÓRUM  pemuda KALIBARU,peserta\n")
        assert report.written, lines(report)
        assert report.rows[0].summary == "Forum Pemuda Kalibaru"


class TestRecords:
    def test_relationships_with_indonesian_words_and_a_symmetric_duplicate(
        self, run: Importer, session: Session
    ) -> None:
        before = count(session, Relationship)
        text = (
            "dari,ke,hubungan,mulai,kekuatan\n"
            "ICW,LBH Jakarta,sekutu,1 Januari 2019,3\n"
            "LBH Jakarta,ICW,allied with,2019-01-01,3\n"  # the same tie, read the other way
        )
        report = run("relationships", text, collaboration_id=None)

        assert report.written, lines(report)
        assert [r.action for r in report.rows] == [Action.ADD, Action.SKIP]
        assert count(session, Relationship) == before + 1
        assert run("relationships", text, collaboration_id=None).counts["add"] == 0

    def test_commitments_with_their_status_and_history(
        self, run: Importer, session: Session
    ) -> None:
        text = (
            "Pemilik,Kepada,Komitmen,Tanggal,Tenggat,Status,Tanggal status\n"
            "Dinsos DKI,SPRI,Membuka posko pengaduan di Kalibaru,3 Mei 2021,31 Mei 2021,"
            "terpenuhi,28/05/2021\n"
            "SPRI,Dinsos DKI,Menyerahkan data warga Kalibaru,3 Mei 2021,,,\n"
        )
        report = run("commitments", text)

        assert report.written, lines(report)
        fulfilled = session.get_one(Commitment, report.rows[0].record_id)
        assert fulfilled.status is CommitmentStatus.FULFILLED
        assert fulfilled.fulfilled_on == dt.date(2021, 5, 28)
        steps = session.scalars(
            select(CommitmentStatusChange.to_status)
            .where(CommitmentStatusChange.commitment_id == fulfilled.id)
            .order_by(CommitmentStatusChange.changed_on)
        ).all()
        assert steps == [CommitmentStatus.OPEN, CommitmentStatus.FULFILLED]
        assert session.get_one(Commitment, report.rows[1].record_id).status is CommitmentStatus.OPEN
        assert run("commitments", text).counts == {"add": 0, "update": 0, "skip": 2, "error": 0}

    def test_a_status_without_its_date_and_a_due_date_before_made_are_named(
        self, run: Importer
    ) -> None:
        text = (
            "owner,description,made_on,due_on,status\n"
            "Dinsos DKI,Posko,2021-05-03,2021-05-01,open\n"
            "Dinsos DKI,Data,2021-05-03,,broken\n"
        )
        report = run("commitments", text)

        assert lines(report) == [
            "row 2, column 'due_on': must not be before made_on (2021-05-03)",
            "row 3, column 'status_on': is required when the status is broken: give its date",
        ]

    def test_trust_events_with_the_whole_forum_as_target(
        self, run: Importer, session: Session
    ) -> None:
        text = (
            "tanggal,pelaku,sasaran,jenis,bentuk kepercayaan,arah,bobot,keterangan\n"
            "12/05/2021,Dinsos DKI,,berbagi informasi,rasional,+,2,Membagikan data penerima\n"
            "13/05/2021,SPRI,Dinsos DKI,protes,prosedural,negatif,3,Aksi di Balai Kota\n"
        )
        report = run("trust-events", text)

        assert report.written, lines(report)
        shared = session.get_one(TrustEvent, report.rows[0].record_id)
        assert shared.target_id is None
        assert shared.severity == 2
        assert run("trust-events", text).counts["add"] == 0

    def test_measurements_of_an_outcome_by_title(self, run: Importer, session: Session) -> None:
        text = (
            "Capaian;Tanggal;Nilai;Catatan\n"
            "Households verified and added to DTKS;30 Jun 2021;12.500,5;laporan Dinsos\n"
            "Households verified and added to DTKS;30 Jun 2021;12.500,5;laporan Dinsos\n"
            "No such outcome;30 Jun 2021;1;\n"
        )
        report = run("measurements", text)

        assert lines(report)[0].startswith(
            "row 4, column 'Capaian': no outcome of this collaboration is titled 'No such outcome'"
        )
        fixed = run("measurements", "\n".join(text.splitlines()[:3]) + "\n")
        assert fixed.written
        assert [r.action for r in fixed.rows] == [Action.ADD, Action.SKIP]
        value = session.scalar(
            select(Measurement.value).where(Measurement.id == fixed.rows[0].record_id)
        )
        assert value == 12500.5

    def test_a_dry_run_reports_everything_and_writes_nothing(
        self, run: Importer, session: Session
    ) -> None:
        before = count(session, TrustEvent), count(session, AuditEntry)
        report = run(
            "trust-events",
            "date,actor,kind,trust_form,valence\n2021-05-12,SPRI,recognition,affinitive,positive\n",
            dry_run=True,
        )

        assert report.ok
        assert not report.written
        assert report.counts["add"] == 1
        assert (count(session, TrustEvent), count(session, AuditEntry)) == before

    def test_a_user_mapping_overrides_the_detected_one(self, run: Importer) -> None:
        text = "Organisasi,Kategori,Catatan\nKopi Rakyat,private,Tempat nongkrong\n"
        report = run(
            "stakeholders",
            text,
            collaboration_id=None,
            mapping={"Catatan": "", "Organisasi": "name"},
            dry_run=True,
        )
        assert report.mapping == {"Organisasi": "name", "Kategori": "sector", "Catatan": None}
        assert report.ok
