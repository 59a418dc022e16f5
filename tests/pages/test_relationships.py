"""The relationship pages: one tie read both ways, the link from a stakeholder's page,
and the create / edit / delete forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.evidence import service as evidence_service
from governance.evidence.models import evidence_links
from governance.models import Relationship, Stakeholder
from governance.relationships import service as relationship_service
from governance.relationships.schemas import RelationshipPatch
from governance.vocab import RelationshipType
from tests.factories import make_collaboration, make_evidence, make_stakeholder
from tests.pages.html import field_error, input_value, post_form, text_of

NEW = "/relationships/new"


def pair(session: Session) -> tuple[Stakeholder, Stakeholder]:
    spri = make_stakeholder(session, name="SPRI DKI Jakarta")
    coalition = make_stakeholder(session, name="Koalisi Pemantau Bansos")
    return spri, coalition


def make_tie(
    session: Session, source: Stakeholder, target: Stakeholder, **fields: Any
) -> Relationship:
    values: dict[str, Any] = {
        "source_id": source.id,
        "target_id": target.id,
        "type": RelationshipType.MEMBER_OF,
        "strength": 2,
    }
    tie = Relationship(**(values | fields))
    session.add(tie)
    session.flush()
    return tie


def notice_after(client: TestClient, response: Any) -> str:
    """Follow a 303 like a browser and return the confirmation the next page shows."""
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<p class="notice__text">(.*?)</p>', page.text, re.S)
    assert found, "no notice on the page after the redirect"
    return text_of(found.group(1))


def stored_ties(session: Session) -> list[Relationship]:
    session.expire_all()
    return list(session.scalars(select(Relationship).order_by(Relationship.id)))


def linked_ids(session: Session, tie: Relationship) -> list[int]:
    return evidence_service.ids_by_record(session, "relationship_id", [tie.id]).get(tie.id, [])


class TestDetail:
    def test_reads_the_tie_both_ways_with_dates_strength_note_and_evidence(
        self, client: TestClient, session: Session
    ) -> None:
        spri, coalition = pair(session)
        tie = make_tie(
            session,
            spri,
            coalition,
            started_on=dt.date(2020, 4, 20),
            strength=3,
            note="Joined <em>early</em> in the pandemic",
        )
        evidence = make_evidence(session, title="Thesis, chapter 4")
        session.execute(
            evidence_links.insert().values(evidence_id=evidence.id, relationship_id=tie.id)
        )

        response = client.get(f"/relationships/{tie.id}")

        assert response.status_code == 200
        page = text_of(response.text)
        assert "SPRI DKI Jakarta Member of Koalisi Pemantau Bansos" in page
        assert "Koalisi Pemantau Bansos Has member SPRI DKI Jakarta" in page
        assert "Strength 3 of 3 since Apr 20, 2020" in page
        assert "Until Still in force" in page
        assert "Thesis, chapter 4 · Interview" in page
        assert "Joined &lt;em&gt;early&lt;/em&gt; in the pandemic" in response.text
        assert f'href="/stakeholders/{spri.id}"' in response.text
        assert f'href="/evidence/{evidence.id}"' in response.text

    def test_speaks_indonesian(self, client: TestClient, session: Session) -> None:
        tie = make_tie(session, *pair(session))

        page = text_of(client.get(f"/relationships/{tie.id}", params={"lang": "id"}).text)

        assert "Relasi" in page
        assert "Kedua arah" in page
        assert "Kekuatan 2 dari 3" in page

    def test_a_deleted_relationship_is_not_found(
        self, client: TestClient, session: Session
    ) -> None:
        tie = make_tie(session, *pair(session), deleted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))

        assert client.get(f"/relationships/{tie.id}").status_code == 404


class TestOnTheStakeholdersPage:
    def test_each_relationship_links_to_its_page_from_both_ends(
        self, client: TestClient, session: Session
    ) -> None:
        spri, coalition = pair(session)
        tie = make_tie(session, spri, coalition)

        from_source = client.get(f"/stakeholders/{spri.id}")
        from_target = client.get(f"/stakeholders/{coalition.id}")

        link = f'<a href="/relationships/{tie.id}">'
        assert f"{link}Member of</a>" in from_source.text
        assert f"{link}Has member</a>" in from_target.text

    def test_offers_to_add_a_relationship_from_the_stakeholder(
        self, client: TestClient, session: Session
    ) -> None:
        spri, _ = pair(session)

        page = client.get(f"/stakeholders/{spri.id}")
        form_page = client.get(NEW, params={"source_id": str(spri.id)})

        assert f'href="/relationships/new?source_id={spri.id}"' in page.text
        assert input_value(form_page.text, "source_id") == str(spri.id)
        assert input_value(form_page.text, "strength") == "2"


def form(source: Stakeholder, target: Stakeholder, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "source_id": str(source.id),
        "target_id": str(target.id),
        "type": "member_of",
        "started_on": "2020-04-20",
        "ended_on": "",
        "strength": "3",
        "note": "Founding member.",
    }
    return values | overrides


class TestCreate:
    def test_the_form_labels_every_input(self, client: TestClient, session: Session) -> None:
        pair(session)
        make_evidence(session)

        response = client.get(NEW)

        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', response.text)
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', response.text))
        assert any(i.startswith("field-evidence_ids-") for i in ids)
        assert set(ids) <= labelled

    def test_valid_input_records_the_tie_with_its_evidence(
        self, client: TestClient, session: Session
    ) -> None:
        spri, coalition = pair(session)
        case = make_collaboration(session)
        evidence = make_evidence(session, collaboration_id=case.id, title="Thesis")

        response = post_form(
            client, NEW, form(spri, coalition) | {"evidence_ids": [str(evidence.id)]}
        )

        (tie,) = stored_ties(session)
        assert response.headers["location"] == f"/relationships/{tie.id}"
        assert (tie.source_id, tie.target_id, tie.type) == (
            spri.id,
            coalition.id,
            RelationshipType.MEMBER_OF,
        )
        assert (tie.started_on, tie.ended_on, tie.strength) == (dt.date(2020, 4, 20), None, 3)
        assert tie.note == "Founding member."
        assert linked_ids(session, tie) == [evidence.id]
        assert notice_after(client, response) == "Relationship recorded."

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"type": ""}, "type", "This field is required."),
            ({"type": "married_to"}, "type", "Choose one of the options."),
            ({"strength": "5"}, "strength", "Enter 3 or less."),
            ({"target_id": "source"}, "target_id", "A stakeholder cannot be related to itself."),
            ({"source_id": ""}, "source_id", "This field is required."),
            (
                {"ended_on": "2019-01-01"},
                "ended_on",
                "Must not be before Started on (Apr 20, 2020).",
            ),
            (
                {"note": "x\x00"},
                "note",
                "Remove the invisible control characters (NUL) from this text.",
            ),
        ],
    )
    def test_bad_input_is_refused_beside_its_field_with_the_input_kept(
        self,
        client: TestClient,
        session: Session,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        spri, coalition = pair(session)
        sent = form(spri, coalition, **overrides)
        if sent["target_id"] == "source":
            sent["target_id"] = sent["source_id"]

        response = post_form(client, NEW, sent)

        assert response.status_code == 400
        assert field_error(response.text, field) == message
        if field != "note":
            assert input_value(response.text, "note") == "Founding member."
        assert stored_ties(session) == []

    def test_a_deleted_stakeholder_is_refused(self, client: TestClient, session: Session) -> None:
        spri, coalition = pair(session)
        coalition.deleted_at = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        session.flush()

        response = post_form(client, NEW, form(spri, coalition))

        assert response.status_code == 400
        assert field_error(response.text, "target_id") == f"Stakeholder {coalition.id} is deleted."
        assert stored_ties(session) == []


class TestEdit:
    def test_shows_the_stored_values(self, client: TestClient, session: Session) -> None:
        spri, coalition = pair(session)
        tie = make_tie(session, spri, coalition, ended_on=dt.date(2022, 1, 1))

        response = client.get(f"/relationships/{tie.id}/edit")

        assert input_value(response.text, "source_id") == str(spri.id)
        assert input_value(response.text, "type") == "member_of"
        assert input_value(response.text, "ended_on") == "2022-01-01"
        assert input_value(response.text, "version") == "1"

    def test_saves_and_confirms(self, client: TestClient, session: Session) -> None:
        spri, coalition = pair(session)
        tie = make_tie(session, spri, coalition)

        response = post_form(
            client,
            f"/relationships/{tie.id}/edit",
            form(spri, coalition, type="allied_with", strength="1", version="1"),
        )

        assert response.headers["location"] == f"/relationships/{tie.id}"
        assert notice_after(client, response) == "Relationship saved."
        (stored,) = stored_ties(session)
        assert (stored.type, stored.strength, stored.version) == (
            RelationshipType.ALLIED_WITH,
            1,
            2,
        )

    def test_a_stale_edit_shows_what_changed_and_overwrites_nothing(
        self, client: TestClient, session: Session
    ) -> None:
        spri, coalition = pair(session)
        tie = make_tie(session, spri, coalition)
        relationship_service.update(
            session,
            record=tie,
            data=RelationshipPatch(version=1, type=RelationshipType.REPRESENTS),
            actor=Actor("ana"),
        )
        session.flush()

        response = post_form(
            client, f"/relationships/{tie.id}/edit", form(spri, coalition, version="1")
        )

        assert response.status_code == 409
        page = text_of(response.text)
        assert "Changed meanwhile by ana" in page
        assert "“Member of” → “Represents”" in page
        assert input_value(response.text, "type") == "member_of"
        assert stored_ties(session)[0].type is RelationshipType.REPRESENTS

    def test_invalid_input_keeps_it(self, client: TestClient, session: Session) -> None:
        spri, coalition = pair(session)
        tie = make_tie(session, spri, coalition)

        response = post_form(
            client,
            f"/relationships/{tie.id}/edit",
            form(spri, coalition, strength="0", note="Kept", version="1"),
        )

        assert response.status_code == 400
        assert field_error(response.text, "strength") == "Enter 1 or more."
        assert input_value(response.text, "note") == "Kept"


class TestDeleteAndUndo:
    def test_delete_returns_to_the_source_and_undo_restores(
        self, client: TestClient, session: Session
    ) -> None:
        spri, coalition = pair(session)
        tie = make_tie(session, spri, coalition)

        deleted = post_form(client, f"/relationships/{tie.id}/delete", {})

        assert deleted.headers["location"] == f"/stakeholders/{spri.id}"
        page = client.get(f"/stakeholders/{spri.id}")
        assert "Relationship deleted." in text_of(page.text)
        assert f'action="/relationships/{tie.id}/restore"' in page.text
        assert "No relationships recorded." in text_of(page.text)

        restored = post_form(client, f"/relationships/{tie.id}/restore", {})

        assert notice_after(client, restored) == "Relationship restored."
        assert stored_ties(session)[0].deleted_at is None


class TestEveryPageInIndonesian:
    @pytest.mark.parametrize(
        ("page", "expected"),
        [
            ("detail", "Kedua arah"),
            ("new", "Relasi baru"),
            ("edit", "Hapus relasi ini"),
        ],
    )
    def test_renders_in_indonesian(
        self, client: TestClient, session: Session, page: str, expected: str
    ) -> None:
        tie = make_tie(session, *pair(session))
        paths = {
            "detail": f"/relationships/{tie.id}",
            "new": NEW,
            "edit": f"/relationships/{tie.id}/edit",
        }

        response = client.get(paths[page], params={"lang": "id"})

        assert response.status_code == 200
        assert '<html lang="id">' in response.text
        assert expected in text_of(response.text)
