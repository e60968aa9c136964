"""Create the demo region Lindewaard: fictional organisations from both domains, every role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.regions import services as regions
from facilitator.regions.models import OrganisationKind, Region
from facilitator.users import services as users
from facilitator.users.models import Role, User

DEMO_REGION = "Lindewaard (demo)"
DEFAULT_PASSWORD = "lindewaard-oefenen"  # noqa: S105 - published demo password; no demo in production
EMAIL_DOMAIN = "lindewaard.example"

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
]


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
        users.create_user(
            name=login.name,
            email=login.email,
            organisation=organisations[login.organisation],
            role=login.role,
            password=password or DEFAULT_PASSWORD,
            must_change_password=False,
            actor=None,
        )
    return True
