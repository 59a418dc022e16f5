"""Exports of a collaboration: formats, the research package and its codebook,
pseudonyms, contact details, and the round trip export → import → export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pandas
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import migrations, records
from governance.audit.service import Actor
from governance.db import make_engine
from governance.demo.loader import LoadResult, load_demo
from governance.exports import pseudonyms
from governance.exports.codebook import vocabularies
from governance.exports.service import ExportFormat, export_collaboration
from governance.imports.columns import ImportKind
from governance.imports.service import ImportOptions, run_import
from governance.models import Collaboration, Forum, Outcome, Stakeholder
from governance.vocab import Sector, StakeholderKind


@pytest.fixture
def demo(session: Session) -> LoadResult:
    result = load_demo(session)
    session.flush()
    return result


def case_of(demo: LoadResult) -> int:
    assert demo.collaboration_id is not None
    return demo.collaboration_id


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def read_csv(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert len(set(header)) == len(header), "duplicate column names"
    assert all(len(row) == len(header) for row in rows), "ragged rows"
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


class TestResearchPackage:
    def test_every_file_is_a_clean_table_and_the_codebook_covers_every_column(
        self, session: Session, demo: LoadResult
    ) -> None:
        exported = export_collaboration(session, case_of(demo), ExportFormat.RESEARCH)
        files = unzip(exported.content)

        codebook = read_csv(files["codebook.csv"])
        described = {(row["file"], row["column"]) for row in codebook}
        assert all(row["description"] for row in codebook)
        tables = [name for name in files if name.endswith(".csv") and "/" in name]
        assert {
            "tables/attendance.csv",
            "tables/assessments.csv",
            "network/nodes.csv",
            "diagnosis/series.csv",
        } <= set(tables)
        for name in tables:
            header = next(csv.reader(io.StringIO(files[name].decode())))
            missing = [column for column in header if (name, column) not in described]
            assert missing == [], f"{name}: {missing}"
        assert len(read_csv(files["tables/attendance.csv"])) > 50
        assert len(read_csv(files["tables/assessments.csv"])) > 0
        assert len(read_csv(files["diagnosis/series.csv"])) >= 8

    def test_every_table_opens_cleanly_in_pandas_with_the_codebook_s_columns(
        self, session: Session, demo: LoadResult
    ) -> None:
        exported = export_collaboration(session, case_of(demo), ExportFormat.RESEARCH)
        files = unzip(exported.content)
        codebook = pandas.read_csv(io.BytesIO(files["codebook.csv"]))
        stakeholders = pandas.read_csv(io.BytesIO(files["tables/stakeholders.csv"]))

        for name in (name for name in files if name.endswith(".csv")):
            frame = pandas.read_csv(io.BytesIO(files[name]))
            documented = set(codebook.loc[codebook["file"] == name, "column"])
            assert not frame.columns.str.startswith("Unnamed").any(), name
            assert frame.columns.is_unique, name
            assert not frame.columns.str.startswith("\ufeff").any(), name
            if name.startswith(("tables/", "network/", "diagnosis/")):
                assert set(frame.columns) <= documented, name
        assert stakeholders["id"].dtype.kind == "i"
        assert stakeholders["id"].is_unique
        assert "SPRI DKI Jakarta" in set(stakeholders["name"])

    def test_the_vocabularies_list_every_code_of_every_vocabulary(
        self, session: Session, demo: LoadResult
    ) -> None:
        files = unzip(export_collaboration(session, case_of(demo), ExportFormat.RESEARCH).content)
        listed = {(row["vocabulary"], row["code"]) for row in read_csv(files["vocabularies.csv"])}
        markdown = files["codebook.md"].decode()
        for name, enum_cls in vocabularies().items():
            for code in enum_cls:
                assert (name, code.value) in listed
                assert f"| `{code.value}` |" in markdown
        codebook = read_csv(files["codebook.csv"])
        used = {row["vocabulary"] for row in codebook if row["vocabulary"]}
        assert used <= set(vocabularies())
        assert {"sector", "trust_event_kind", "commitment_status"} <= used

    def test_the_network_files_open_and_never_carry_contact_details(
        self, session: Session, demo: LoadResult
    ) -> None:
        spri = session.scalars(
            select(Stakeholder).where(Stakeholder.name == "SPRI DKI Jakarta")
        ).one()
        spri.contact = {"email": "sekretariat@spri.example", "phone": "0812-1111-2222"}
        session.flush()
        files = unzip(export_collaboration(session, case_of(demo), ExportFormat.RESEARCH).content)
        graph = nx.read_graphml(io.BytesIO(files["network/network.graphml"]))
        gexf = nx.read_gexf(io.BytesIO(files["network/network.gexf"]))
        kumu = json.loads(files["network/network-kumu.json"])
        assert graph.number_of_nodes() == gexf.number_of_nodes() == len(kumu["elements"]) > 10
        everything = b"".join(files.values())
        assert b"sekretariat@spri.example" not in everything
        assert b"0812-1111-2222" not in everything

    def test_pseudonyms_replace_names_everywhere_and_are_stable_with_the_same_key(
        self, session: Session, demo: LoadResult
    ) -> None:
        key = pseudonyms.derived_key("k" * 40)
        first = unzip(
            export_collaboration(
                session, case_of(demo), ExportFormat.RESEARCH, pseudonymise=True, key=key
            ).content
        )
        second = unzip(
            export_collaboration(
                session, case_of(demo), ExportFormat.RESEARCH, pseudonymise=True, key=key
            ).content
        )
        other = unzip(
            export_collaboration(
                session, case_of(demo), ExportFormat.RESEARCH, pseudonymise=True
            ).content
        )

        names = {row["id"]: row["name"] for row in read_csv(first["tables/stakeholders.csv"])}
        assert all(name.startswith("S-") and len(name) == 8 for name in names.values())
        assert names == {
            row["id"]: row["name"] for row in read_csv(second["tables/stakeholders.csv"])
        }
        assert names != {
            row["id"]: row["name"] for row in read_csv(other["tables/stakeholders.csv"])
        }
        spri = session.scalars(
            select(Stakeholder).where(Stakeholder.name == "SPRI DKI Jakarta")
        ).one()
        assert names[str(spri.id)] == pseudonyms.pseudonym(key, spri.id)
        for name in (
            "tables/stakeholders.csv",
            "tables/attendance.csv",
            "tables/commitments.csv",
            "network/network.graphml",
            "network/network-kumu.json",
            "network/nodes.csv",
        ):
            assert b"SPRI DKI Jakarta" not in first[name], name
        header = next(csv.reader(io.StringIO(first["tables/stakeholders.csv"].decode())))
        assert "aliases" not in header
        assert "description" not in header


class TestSpreadsheetExports:
    def test_contact_details_only_when_asked_for(self, session: Session, demo: LoadResult) -> None:
        spri = session.scalars(
            select(Stakeholder).where(Stakeholder.name == "SPRI DKI Jakarta")
        ).one()
        spri.contact = {"email": "sekretariat@spri.example"}
        session.flush()
        cid = case_of(demo)
        with_contact = export_collaboration(session, cid, ExportFormat.JSON, include_contact=True)
        without = export_collaboration(session, cid, ExportFormat.JSON)

        rows = json.loads(with_contact.content)["tables"]["stakeholders"]
        assert {"email": "sekretariat@spri.example"}.items() <= next(
            r for r in rows if r["name"] == "SPRI DKI Jakarta"
        ).items()
        assert b"sekretariat@spri.example" not in without.content
        assert "email" not in json.loads(without.content)["tables"]["stakeholders"][0]

    def test_the_workbook_has_a_sheet_per_record_type_with_real_dates(
        self, session: Session, demo: LoadResult
    ) -> None:
        exported = export_collaboration(session, case_of(demo), ExportFormat.XLSX)
        book = load_workbook(io.BytesIO(exported.content))
        assert book.sheetnames[:3] == ["collaboration", "stakeholders", "relationships"]
        assert "attendance" in book.sheetnames
        assert "assessments" in book.sheetnames
        commitments = book["commitments"]
        header = [cell.value for cell in commitments[1]]
        made_on = commitments.cell(row=2, column=header.index("made_on") + 1).value
        assert isinstance(made_on, dt.datetime)
        assert made_on.year in (2020, 2021, 2022)

    def test_a_formula_like_text_stays_text(self, session: Session, demo: LoadResult) -> None:
        stakeholder = Stakeholder(
            name='=HYPERLINK("x")', kind=StakeholderKind.GROUP, sector=Sector.OTHER, search_key="x"
        )
        records.add(session, stakeholder, actor=Actor("t"))
        from governance.models import Participation
        from governance.vocab import ParticipationRole

        records.add(
            session,
            Participation(
                collaboration_id=case_of(demo),
                stakeholder_id=stakeholder.id,
                role=ParticipationRole.OBSERVER,
            ),
            actor=Actor("t"),
        )
        zipped = unzip(export_collaboration(session, case_of(demo), ExportFormat.CSV).content)
        text = next(v for k, v in zipped.items() if k.endswith("/stakeholders.csv")).decode(
            "utf-8-sig"
        )
        assert "'=HYPERLINK" in text
        book = load_workbook(
            io.BytesIO(export_collaboration(session, case_of(demo), ExportFormat.XLSX).content)
        )
        names = [row[1] for row in book["stakeholders"].iter_rows(min_row=2, values_only=True)]
        assert '=HYPERLINK("x")' in names
        assert (
            book["stakeholders"].cell(row=2 + names.index('=HYPERLINK("x")'), column=2).data_type
            == "s"
        )


# -- the round trip -----------------------------------------------------------------------

IMPORT_ORDER = [
    ("stakeholders", ImportKind.STAKEHOLDERS),
    ("relationships", ImportKind.RELATIONSHIPS),
    ("participations", ImportKind.PARTICIPATIONS),
    ("meetings", ImportKind.MEETINGS),
    ("attendance", ImportKind.ATTENDANCE),
    ("commitments", ImportKind.COMMITMENTS),
    ("trust_events", ImportKind.TRUST_EVENTS),
    ("measurements", ImportKind.MEASUREMENTS),
]


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    migrations.upgrade(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def comparable(tables: dict[str, list[dict[str, Any]]], name: str) -> list[tuple[Any, ...]]:
    """A table without ids (which differ between databases), in a stable order."""
    rows = [
        tuple((k, v) for k, v in row.items() if k != "id" and not k.endswith("_id"))
        for row in tables[name]
    ]
    return sorted(rows, key=repr)


def set_up_case(session: Session, document: dict[str, Any]) -> int:
    """What the imports do not cover — the collaboration, its forums and outcomes — from
    the exported JSON, so the imports have somewhere to land."""
    tables = document["tables"]
    actor = Actor("round trip")
    case = tables["collaboration"][0]
    collaboration = records.add(
        session,
        Collaboration(
            **{
                k: v
                for k, v in case.items()
                if k in ("name", "description", "policy_domain", "place", "status")
            }
        ),
        actor=actor,
    )
    names = {row["id"]: row["name"] for row in tables["stakeholders"]}
    for forum in tables["forums"]:
        records.add(
            session, Forum(collaboration_id=collaboration.id, name=forum["name"]), actor=actor
        )
    new_ids: dict[int, int] = {}
    for outcome in tables["outcomes"]:
        made = records.add(
            session,
            Outcome(
                collaboration_id=collaboration.id,
                parent_id=new_ids.get(outcome["parent_id"]),
                title=outcome["title"],
                level=outcome["level"],
                baseline=outcome["baseline"],
                target=outcome["target"],
                weight=outcome["weight"],
                unit=outcome["unit"],
            ),
            actor=actor,
        )
        new_ids[outcome["id"]] = made.id
    del names
    return collaboration.id


class TestRoundTrip:
    def test_export_import_into_an_empty_database_export_gives_the_same_data(
        self, session: Session, demo: LoadResult, empty_database: Session
    ) -> None:
        cid = case_of(demo)
        before = json.loads(
            export_collaboration(session, cid, ExportFormat.JSON, include_contact=True).content
        )
        files = {
            Path(name).stem: content
            for name, content in unzip(
                export_collaboration(session, cid, ExportFormat.CSV, include_contact=True).content
            ).items()
        }
        new_id = set_up_case(empty_database, before)

        for table, kind in IMPORT_ORDER:
            report = run_import(
                empty_database,
                kind=kind,
                content=files[table],
                filename=f"{table}.csv",
                options=ImportOptions(collaboration_id=new_id),
                actor=Actor("round trip"),
            )
            assert report.ok, (table, [p.line() for p in report.problems][:5])
            assert report.counts["add"] == len(before["tables"][table]), table

        after = json.loads(
            export_collaboration(
                empty_database, new_id, ExportFormat.JSON, include_contact=True
            ).content
        )
        for table, _ in IMPORT_ORDER:
            assert comparable(after["tables"], table) == comparable(before["tables"], table), table

        again = run_import(
            empty_database,
            kind=ImportKind.ATTENDANCE,
            content=files["attendance"],
            filename="attendance.csv",
            options=ImportOptions(collaboration_id=new_id),
            actor=Actor("round trip"),
        )
        assert again.counts["add"] == 0
        assert again.counts["skip"] == len(before["tables"]["attendance"])
