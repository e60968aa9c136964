"""Demo stories of the first group: an approved klantverhaal (the dashboard and the logbook
show it), a voorbeeldcasus about one of its cases waiting for approval, and a draft. Invented,
like everything in the demo, and told without identifying details."""

from __future__ import annotations

from datetime import time, timedelta

from facilitator.cases.models import Case
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local, local_today
from facilitator.stories import services as stories
from facilitator.users.models import User

KLANTVERHAAL = (
    "Van dagbesteding naar een vaste plek in de bakkerij",
    "Een man van middelbare leeftijd zat na een lange periode van depressie al jaren thuis. "
    "Hij wilde werken, maar durfde niet: bij eerdere pogingen raakte hij overspoeld en viel "
    "hij na een paar weken weer uit.\n\n"
    "In de casusgroep bleek dat iedereen een stukje van het verhaal kende. De behandelaar "
    "wist wat hij aankon, de klantmanager welke regels rond bijverdienen hem tegenhielden, de "
    "IPS-coach welke werkgever een rustige werkplek had. Samen spraken ze af wie de regie nam "
    "en dat zijn uitkering tijdens de proefplaatsing niet zou schommelen.\n\n"
    "Hij begon met twaalf uur per week in een bakkerij, met vaste collega's en een vaste "
    'werkplek. Na een half jaar werkt hij twintig uur met een arbeidscontract. "Ik hoefde '
    'mijn verhaal maar één keer te vertellen," zei hij bij de evaluatie.',
)
VOORBEELDCASUS = (
    "Eén gesprek in plaats van drie loketten",
    "Een jonge vrouw met angstklachten had een uitkering, een behandelaar en een jobcoach, "
    "maar die wisten niet van elkaar wat ze afspraken. Zij kreeg drie verschillende adviezen "
    "over hoeveel uur ze kon werken.\n\n"
    "De casusgroep bracht de drie samen in één driegesprek met de cliënt. Er kwam één plan, "
    "met één regievoerder en een achterwacht. Het laat zien wat de groep kan doen als de "
    "lijnen tussen zorg, inkomen en werk kort zijn.",
)
CONCEPT = (
    "Werkgever als bondgenoot",
    "Nog uitwerken: hoe de werkgever zelf meedacht over aangepaste werktijden.",
)


def seed_demo_stories(group: CaseGroup, leader: User, writer: User, case: Case) -> None:
    """Three stories of the group in the three states a reader meets first."""
    approved = stories.write_story(
        group, kind="klantverhaal", title=KLANTVERHAAL[0], text=KLANTVERHAAL[1], actor=writer
    )
    stories.submit_story(approved, actor=writer)
    stories.approve_story(approved, actor=leader)
    approved.written_at = _days_ago(20, time(10))
    approved.approved_at = _days_ago(12, time(16))
    waiting = stories.write_story(
        group,
        kind="voorbeeldcasus",
        title=VOORBEELDCASUS[0],
        text=VOORBEELDCASUS[1],
        case=case,
        actor=writer,
    )
    stories.submit_story(waiting, actor=writer)
    waiting.written_at = _days_ago(3, time(11))
    draft = stories.write_story(
        group, kind="klantverhaal", title=CONCEPT[0], text=CONCEPT[1], actor=writer
    )
    draft.written_at = _days_ago(1, time(9))


def _days_ago(days: int, at: time):
    return from_local(local_today() - timedelta(days=days), at)
