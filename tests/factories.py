"""Build test data through the same services the app and the CLI use, then commit."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.extensions import db
from facilitator.regions import services as regions
from facilitator.regions.models import Organisation, OrganisationKind, Region
from facilitator.users import services as users
from facilitator.users.models import Role, User

PASSWORD = "een lange zin als wachtwoord"
#: The TOTP secret of users the tests enrol without the enrolment pages (base32, 160 bits).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


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


def enrol_two_factor(user: User, secret: str = TOTP_SECRET) -> User:
    """Switch two-factor login on with a known secret, as if the user had enrolled."""
    from facilitator.auth import totp
    from facilitator.database import utcnow

    totp.store_secret(user, secret)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
    db.session.commit()
    return user


# --- casusgroepen and cases ---------------------------------------------------------------

from datetime import date, datetime, timedelta  # noqa: E402

from facilitator.cases import services as cases  # noqa: E402
from facilitator.cases.models import Case, PrivacyMode  # noqa: E402
from facilitator.database import utcnow  # noqa: E402
from facilitator.groups import services as groups  # noqa: E402
from facilitator.groups.models import CaseGroup, GroupRole  # noqa: E402
from facilitator.privacy.identity import IdentityData  # noqa: E402
from facilitator.privacy.services import ConsentInput  # noqa: E402

IDENTITY = IdentityData(
    full_name="Jan Willem Voorbeeldt",
    birth_date=date(1984, 3, 7),
    bsn="123456782",
    client_number="CL-90812",
)
OTHER_IDENTITY = IdentityData(
    full_name="Femke Proefsma", birth_date=date(1990, 12, 24), bsn="111222333"
)


def make_group(
    region: Region,
    name: str = "Casusgroep Noord",
    *,
    leader: User | None = None,
    members: tuple[User, ...] = (),
    criteria: tuple[tuple[str, bool], ...] = (),
) -> CaseGroup:
    group = groups.create_group(region, name=name, rhythm="zeswekelijks", actor=None)
    if leader is not None:
        groups.add_member(group, leader, GroupRole.PROCESBEGELEIDER, actor=None)
    for member in members:
        groups.add_member(group, member, GroupRole.LID, actor=None)
    for text, mandatory in criteria:
        groups.add_criterion(group, text, mandatory, actor=None)
    db.session.commit()
    return group


def details(
    description: str = "Cliënt wil werken in de zorg; de reistijd is een probleem.",
    criteria_ids: set[int] | None = None,
) -> cases.CaseDetails:
    return cases.CaseDetails(
        description=description,
        benefit="participatiewet",
        ggz_treatment="ja",
        criteria_ids=criteria_ids or set(),
    )


def consent_for(
    organisations: list[Organisation],
    *,
    given_on: date | None = None,
    valid_until: date | None = None,
) -> ConsentInput:
    given_on = given_on or date.today() - timedelta(days=10)
    return ConsentInput(
        given_on=given_on,
        valid_until=valid_until or given_on + timedelta(days=365),
        organisations=organisations,
        purposes="Bespreking in de casusgroep",
        evidence_reference="Dossier, map toestemmingen",
    )


def make_case(
    group: CaseGroup,
    brought_by: User,
    mode: PrivacyMode = PrivacyMode.FICTIEF,
    *,
    identity: IdentityData | None = None,
    consent: ConsentInput | None = None,
    description: str | None = None,
) -> Case:
    if mode == PrivacyMode.TOESTEMMING:
        identity = identity or IDENTITY
        consent = consent or consent_for([brought_by.organisation])
    case = cases.register_case(
        group,
        actor=brought_by,
        brought_by=brought_by,
        organisation=brought_by.organisation,
        mode=mode,
        details=details(description) if description else details(),
        identity=identity,
        consent=consent,
    )
    db.session.commit()
    return case


def make_meeting(
    group: CaseGroup,
    leader: User,
    cases: list[Case],
    *,
    start: bool = True,
    protocol_id: str = "casusgroep-samenwerking",
    when: datetime | None = None,
):
    from facilitator.meetings import planning, run

    meeting = planning.plan_meeting(
        group,
        scheduled_at=when or utcnow(),
        protocol_id=protocol_id,
        actor=leader,
        location="Stadskantoor, zaal 3",
    )
    for case in cases:
        planning.add_to_agenda(meeting, case, actor=leader)
    if start:
        run.start_meeting(meeting, actor=leader)
    db.session.commit()
    return meeting


@dataclass
class World:
    region: Region
    other_region: Region
    gemeente: Organisation
    ggz: Organisation
    other_org: Organisation
    users: dict[Role, User]
    other_user: User
    extra_member: User
    group: CaseGroup
    other_group: CaseGroup
    fictional_case: Case
    consent_case: Case
    other_case: Case
    meeting: object
    other_meeting: object
    finding: object
    action: object


def make_world() -> World:
    """Region Noord with a user per role and a group; region Zuid with its own group and case.

    In Noord's group the procesbegeleider leads and the deelnemer (GGZ Noord) and an extra
    deelnemer (Gemeente Noord) are members; the deelnemer brought a fictitious case and a
    case with consent whose scope is GGZ Noord only.
    """
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
    extra = make_user(gemeente, Role.DEELNEMER, email="extra@noord.example", name="Extra Lid")
    other_user = make_user(other_org, Role.DEELNEMER, email="deelnemer@zuid.example")
    other_leader = make_user(other_org, Role.PROCESBEGELEIDER, email="pb@zuid.example")
    group = make_group(
        region,
        leader=people[Role.PROCESBEGELEIDER],
        members=(people[Role.DEELNEMER], extra),
        criteria=(("Cliënt heeft een uitkering", False),),
    )
    other_group = make_group(
        other_region, "Casusgroep Zuid", leader=other_leader, members=(other_user,)
    )
    fictional = make_case(group, people[Role.DEELNEMER])
    with_consent = make_case(group, people[Role.DEELNEMER], PrivacyMode.TOESTEMMING)
    other_case = make_case(other_group, other_user)
    meeting, finding, action = _running_meeting(group, people, [fictional, with_consent])
    other_meeting, _, _ = _running_meeting(
        other_group,
        {Role.PROCESBEGELEIDER: other_leader, Role.DEELNEMER: other_user},
        [other_case],
    )
    return World(
        region,
        other_region,
        gemeente,
        ggz,
        other_org,
        people,
        other_user,
        extra,
        group,
        other_group,
        fictional,
        with_consent,
        other_case,
        meeting,
        other_meeting,
        finding,
        action,
    )


def _running_meeting(group, people, cases):
    from facilitator.meetings import records, run

    leader = people[Role.PROCESBEGELEIDER]
    meeting = make_meeting(group, leader, cases)
    case_ref = next(s.ref for s in run.rail(meeting) if s.case is not None)
    finding = records.add_finding(
        meeting,
        case_ref,
        kind="knelpunt",
        level="uitvoering",
        text="Overdracht tussen UWV en gemeente loopt stroef",
        organisations=[],
        signal=True,
        actor=leader,
    )
    action = records.add_action(
        meeting,
        case_ref,
        description="Driegesprek plannen",
        owner=people[Role.DEELNEMER],
        due_on=date.today() + timedelta(14),
        actor=leader,
    )
    db.session.commit()
    return meeting, finding, action
