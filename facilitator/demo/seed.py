"""Create the demo region Lindewaard: fictional organisations from both domains, every role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources

from sqlalchemy import func, select

from facilitator.auth import totp
from facilitator.cases.importer import import_cases
from facilitator.database import utcnow
from facilitator.demo.actions import seed_demo_actions
from facilitator.demo.logbook import seed_demo_logbook
from facilitator.demo.meetings import seed_demo_meetings
from facilitator.demo.monitoring import seed_demo_monitoring
from facilitator.demo.preparation import seed_demo_preparation
from facilitator.demo.proposals import seed_demo_proposals
from facilitator.demo.regie import seed_demo_regie
from facilitator.demo.series import seed_demo_series
from facilitator.demo.signals import seed_demo_signals
from facilitator.demo.stories import seed_demo_stories
from facilitator.demo.table import seed_demo_table
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import GroupRole, Rhythm
from facilitator.privacy.services import today
from facilitator.regions import services as regions
from facilitator.regions.models import OrganisationKind, Region
from facilitator.users import services as users
from facilitator.users.models import Role, User

DEMO_REGION = "Lindewaard (demo)"
DEFAULT_PASSWORD = "lindewaard-oefenen"  # noqa: S105 - published demo password; no demo in production
EMAIL_DOMAIN = "lindewaard.example"
#: The TOTP secret of every demo account, published like the demo password (no demo in
#: production): add it to an authenticator app, or print the code of the moment with
#: ``facilitator users totp-code EMAIL`` (development only).
DEMO_TOTP_SECRET = "LINDEWAARDOEFENENLINDEWAARDDEMO2"  # noqa: S105 - published, like the password

#: (name, kind, contact person, backup); every name is invented.
ORGANISATIONS = [
    ("Gemeente Lindewaard", OrganisationKind.GEMEENTE, "Femke de Wit", "Ruud Hoekstra"),
    ("Gemeente Oosterbroek", OrganisationKind.GEMEENTE, "Sanne Mulder", "Kees Brouwer"),
    ("UWV Lindewaard", OrganisationKind.UWV, "Peter Visscher", "Anouk Jansen"),
    ("GGZ Rivierduin", OrganisationKind.GGZ, "Marloes Kuipers", "Jeroen Smit"),
    ("Stichting Kompas GGZ", OrganisationKind.GGZ, "Hanneke Bos", "Thijs Meijer"),
    ("Werkbedrijf Lindewaard", OrganisationKind.SW_BEDRIJF, "Gerrit Postma", "Ilse de Boer"),
    ("Cliëntenraad Samen Sterk", OrganisationKind.CLIENTORGANISATIE, "Wim Dijkstra", ""),
    ("Bakkerij De Korenschoof", OrganisationKind.WERKGEVER, "Lotte van Dam", ""),
    ("Zorgverzekeraar Rivierland", OrganisationKind.ZORGVERZEKERAAR, "Erik Vos", "Nadia Bakker"),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    role: Role
    organisation: str


AUDIT_READER = f"privacy@{EMAIL_DOMAIN}"
DEMO_USERS = [
    DemoLogin(f"beheer@{EMAIL_DOMAIN}", "Bram Beheer", Role.BEHEERDER, "Gemeente Lindewaard"),
    DemoLogin(
        f"projectleider@{EMAIL_DOMAIN}", "Petra Prins", Role.PROJECTLEIDER, "Gemeente Lindewaard"
    ),
    DemoLogin(
        f"procesbegeleider@{EMAIL_DOMAIN}", "Pim Veenstra", Role.PROCESBEGELEIDER, "GGZ Rivierduin"
    ),
    DemoLogin(
        f"procesbegeleider2@{EMAIL_DOMAIN}",
        "Yasmin El Idrissi",
        Role.PROCESBEGELEIDER,
        "Werkbedrijf Lindewaard",
    ),
    DemoLogin(
        f"klantmanager@{EMAIL_DOMAIN}", "Dirk Wouters", Role.DEELNEMER, "Gemeente Lindewaard"
    ),
    DemoLogin(f"jobcoach@{EMAIL_DOMAIN}", "Esra Yilmaz", Role.DEELNEMER, "Gemeente Oosterbroek"),
    DemoLogin(
        f"arbeidsdeskundige@{EMAIL_DOMAIN}", "Joost Koster", Role.DEELNEMER, "UWV Lindewaard"
    ),
    DemoLogin(f"ipscoach@{EMAIL_DOMAIN}", "Mirjam Hendriks", Role.DEELNEMER, "GGZ Rivierduin"),
    DemoLogin(f"behandelaar@{EMAIL_DOMAIN}", "Sven Peters", Role.DEELNEMER, "Stichting Kompas GGZ"),
    DemoLogin(
        f"ervaringsdeskundige@{EMAIL_DOMAIN}",
        "Ria Schouten",
        Role.DEELNEMER,
        "Cliëntenraad Samen Sterk",
    ),
    # Leads Casusgroep Oosterbroek, the group of the figures page's history (demo/monitoring.py).
    DemoLogin(
        f"procesbegeleider3@{EMAIL_DOMAIN}", "Noor Bakker", Role.PROCESBEGELEIDER, "UWV Lindewaard"
    ),
    # The privacy officer, in no group: reads the audit log with the right the beheerder gave.
    DemoLogin(f"privacy@{EMAIL_DOMAIN}", "Iris Hendriks", Role.DEELNEMER, "Gemeente Lindewaard"),
    # A manager in the beleidsgroep, in no group: reads the region's dashboard and editions.
    DemoLogin(
        f"beleidsgroep@{EMAIL_DOMAIN}", "Karin Verbeek", Role.BELEIDSGROEPLID, "Gemeente Lindewaard"
    ),
]


@dataclass(frozen=True)
class DemoGroup:
    name: str
    rhythm: Rhythm
    theme: str
    description: str
    procesbegeleider: str
    members: tuple[str, ...]
    criteria: tuple[tuple[str, bool], ...]
    cases_file: str
    protocol: str


DEMO_GROUPS = [
    DemoGroup(
        name="Casusgroep Lindewaard",
        rhythm=Rhythm.ZESWEKELIJKS,
        theme="",
        description="Professionals van gemeente, UWV en GGZ bespreken samen hoe de "
        "samenwerking rond een cliënt verloopt, waar die vastloopt en wie de regie neemt.",
        procesbegeleider=f"procesbegeleider@{EMAIL_DOMAIN}",
        members=tuple(
            f"{name}@{EMAIL_DOMAIN}"
            for name in (
                "klantmanager",
                "arbeidsdeskundige",
                "ipscoach",
                "behandelaar",
                "ervaringsdeskundige",
            )
        ),
        criteria=(
            ("De cliënt heeft een uitkering of geen inkomen, en wil werken.", True),
            ("De cliënt is in behandeling bij de GGZ of was dat het afgelopen jaar.", False),
        ),
        cases_file="demo_cases.csv",
        protocol="casusgroep-samenwerking",
    ),
    DemoGroup(
        name="Werkgroep privacy en gegevensdeling",
        rhythm=Rhythm.PER_KWARTAAL,
        theme="privacy en gegevensdeling",
        description="Bespreekt fictieve casussen om afspraken te maken over wat organisaties "
        "met elkaar mogen delen.",
        procesbegeleider=f"procesbegeleider2@{EMAIL_DOMAIN}",
        members=tuple(
            f"{name}@{EMAIL_DOMAIN}"
            for name in (
                "jobcoach",
                "klantmanager",
                "behandelaar",
            )
        ),
        criteria=(),
        cases_file="demo_privacy_cases.csv",
        protocol="klantreis",
    ),
]

#: Demo files write dates relative to the day of seeding, e.g. "@vandaag-60", so the demo's
#: consents are current whenever it is seeded.
_RELATIVE_DATE = re.compile(r"@vandaag([+-]\d+)?")


def _demo_file(name: str) -> bytes:
    text = resources.files("facilitator.demo").joinpath(name).read_text("utf-8")
    return _RELATIVE_DATE.sub(
        lambda m: (today() + timedelta(days=int(m.group(1) or 0))).isoformat(), text
    ).encode("utf-8")


def _seed_groups(region: Region) -> None:
    for spec in DEMO_GROUPS:
        group = groups.create_group(
            region,
            name=spec.name,
            rhythm=spec.rhythm,
            theme=spec.theme,
            description=spec.description,
            actor=None,
        )
        leader = db.session.scalar(select(User).where(User.email == spec.procesbegeleider))
        groups.add_member(group, leader, GroupRole.PROCESBEGELEIDER, actor=None)
        for email in spec.members:
            member = db.session.scalar(select(User).where(User.email == email))
            groups.add_member(group, member, GroupRole.LID, actor=None)
        for text, mandatory in spec.criteria:
            groups.add_criterion(group, text, mandatory, actor=None)
        cases = import_cases(_demo_file(spec.cases_file), group)
        owner = db.session.scalar(select(User).where(User.email == spec.members[0]))
        seed_demo_meetings(
            group, leader, owner, spec.protocol, held_cases=cases[:2], planned_cases=cases[2:]
        )
        seed_demo_preparation(group, owner)
        if spec is DEMO_GROUPS[0]:
            seed_demo_actions(group, leader, owner, cases[:2])
            seed_demo_proposals(group, leader, owner)
            seed_demo_series(group, leader, spec.protocol)
            seed_demo_stories(group, leader, owner, cases[0])
        if spec is DEMO_GROUPS[1]:  # its protocol has no regie step: see demo/regie.py
            seed_demo_regie(group, leader, cases[0])


def _enrol_demo_two_factor(user: User) -> None:
    """Every demo account logs in with the published demo secret, as a real one would with
    its own: the beheerder and the organisations in a consent's scope must."""
    db.session.flush()
    totp.store_secret(user, DEMO_TOTP_SECRET)
    user.totp_enabled_at = utcnow()


def demo_region() -> Region | None:
    return regions.find_region(DEMO_REGION)


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(User.id)))


def seed_demo(password: str | None = None) -> bool:
    """Create the demo region unless it exists; with it present, set the given password.

    Returns True when the region was created. The caller commits.
    """
    region = demo_region()
    if region is not None:
        for login in DEMO_USERS if password else ():
            user = db.session.scalar(select(User).where(User.email == login.email))
            if user is not None:
                users.reset_password(user, password, actor=None)
                user.must_change_password = False
        return False
    region = regions.create_region(
        name=DEMO_REGION,
        description="Fictieve arbeidsmarktregio om Casustafel te leren kennen en mee te oefenen.",
        actor=None,
    )
    organisations = {}
    for name, kind, contact, backup in ORGANISATIONS:
        slug = name.lower().split()[-1]
        organisations[name] = regions.create_organisation(
            region,
            name=name,
            kind=kind,
            actor=None,
            contact_name=contact,
            contact_email=f"{slug}@{EMAIL_DOMAIN}" if contact else "",
            backup_name=backup,
        )
    for login in DEMO_USERS:
        user = users.create_user(
            name=login.name,
            email=login.email,
            organisation=organisations[login.organisation],
            role=login.role,
            password=password or DEFAULT_PASSWORD,
            must_change_password=False,
            actor=None,
        )
        _enrol_demo_two_factor(user)
        if login.email == AUDIT_READER:
            users.set_audit_right(user, True, actor=None)
    _seed_groups(region)
    work_group = groups.find_group(DEMO_GROUPS[1].name, region)
    seed_demo_logbook(
        work_group,
        db.session.scalar(select(User).where(User.email == DEMO_GROUPS[1].procesbegeleider)),
        db.session.scalar(select(User).where(User.email == f"projectleider@{EMAIL_DOMAIN}")),
    )
    seed_demo_table(groups.find_group(DEMO_GROUPS[0].name, region), work_group)
    seed_demo_signals(
        groups.find_group(DEMO_GROUPS[0].name, region),
        db.session.scalar(select(User).where(User.email == f"projectleider@{EMAIL_DOMAIN}")),
    )
    seed_demo_monitoring(region, *_users("procesbegeleider3", "arbeidsdeskundige", "jobcoach"))
    return True


def _users(*names: str) -> tuple[User, list[User]]:
    """The first named demo account, and the others (by the name before the @)."""
    found = [
        db.session.scalar(select(User).where(User.email == f"{name}@{EMAIL_DOMAIN}"))
        for name in names
    ]
    return found[0], found[1:]
