"""Build test data through the same services the app and the CLI use, then commit."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.extensions import db
from facilitator.regions import services as regions
from facilitator.regions.models import Organisation, OrganisationKind, Region
from facilitator.users import services as users
from facilitator.users.models import Role, User

PASSWORD = "een lange zin als wachtwoord"


def make_region(name: str = "Regio Noord") -> Region:
    region = regions.create_region(name=name, actor=None)
    db.session.commit()
    return region


def make_organisation(
    region: Region, name: str = "Gemeente Noord", kind: OrganisationKind = OrganisationKind.GEMEENTE
) -> Organisation:
    org = regions.create_organisation(region, name=name, kind=kind, actor=None)
    db.session.commit()
    return org


def make_user(
    organisation: Organisation,
    role: Role = Role.DEELNEMER,
    *,
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
    must_change_password: bool = False,
) -> User:
    email = email or f"{role.value}.{organisation.id}@noord.example"
    user = users.create_user(
        name=name or f"{role.label} {organisation.name}",
        email=email,
        organisation=organisation,
        role=role,
        password=password,
        must_change_password=must_change_password,
        actor=None,
    )
    db.session.commit()
    return user


@dataclass
class World:
    region: Region
    other_region: Region
    gemeente: Organisation
    ggz: Organisation
    other_org: Organisation
    users: dict[Role, User]
    other_user: User


def make_world() -> World:
    region = make_region("Regio Noord")
    gemeente = make_organisation(region, "Gemeente Noord", OrganisationKind.GEMEENTE)
    ggz = make_organisation(region, "GGZ Noord", OrganisationKind.GGZ)
    other_region = make_region("Regio Zuid")
    other_org = make_organisation(other_region, "UWV Zuid", OrganisationKind.UWV)
    people = {
        role: make_user(
            gemeente if role != Role.DEELNEMER else ggz, role, email=f"{role.value}@noord.example"
        )
        for role in Role
    }
    other_user = make_user(other_org, Role.DEELNEMER, email="deelnemer@zuid.example")
    return World(region, other_region, gemeente, ggz, other_org, people, other_user)
