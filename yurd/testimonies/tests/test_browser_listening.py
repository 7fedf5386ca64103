"""Browser journey: an archivist adds a segment, then its link plays the recording from its start."""

from __future__ import annotations

from typing import Any

import pytest

from yurd.accounts.roles import Role
from yurd.core.actors import system_actor
from yurd.evidence.services import evidence_ingest
from yurd.testimonies import services as testimony_services
from yurd.testimonies.demo import silent_wav
from yurd.testing.personas import PERSONA_PASSWORD, make_gazetteer, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_added_segment_link_plays_from_its_start(page: Any, live_server: Any) -> None:
    gazetteer = make_gazetteer()
    recording = evidence_ingest(
        actor=system_actor(),
        stream=[silent_wav(120)],
        original_name="silence.wav",
        media_type="audio/wav",
        kind="audio",
    ).item
    testimony = testimony_services.testimony_create(
        actor=system_actor(),
        title="A quiet account",
        interviewer="Interviewer (synthetic)",
        place=gazetteer.settlement_a1,
        language="az",
        consent_uses=["archive"],
        media=recording,
    )
    make_user("archivist-arzu", Role.ARCHIVIST)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "archivist-arzu")
    page.fill("input[name=password]", PERSONA_PASSWORD)
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/testimonies/{testimony.code}/")
    page.click("a:has-text('Add segment')")
    page.fill("#id_start", "1:00")
    page.fill("#id_end", "1:30")
    page.fill("#id_title", "The orchard")
    page.fill("#id_summary", "Apricot trees behind the house.")
    page.click("button:has-text('Save segment')")
    page.wait_for_selector("text=Segment saved.")

    page.click("li:has-text('The orchard') >> a:has-text('link to this part')")
    page.wait_for_function("document.getElementById('testimony-player').currentTime >= 59.9")
    assert page.locator("li:has-text('The orchard')").get_attribute("aria-current") == "true"
