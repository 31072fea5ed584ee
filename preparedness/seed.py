"""Demo response plans, incident templates and message templates, seeded by
`manage.py seed_demo` (idempotent: rows are found by slug or name, never duplicated)."""

from incidents.choices import Level, Priority
from incidents.models import Category, Service, Team
from preparedness.models import (
    Audience,
    CommunicationStep,
    Engagement,
    IncidentTemplate,
    MessageTemplate,
    OwnerRole,
    PlanStep,
    ResponsePlan,
    Stage,
    TemplateStep,
)

MESSAGES = [
    (
        "investigating",
        "Investigating",
        Stage.INVESTIGATING,
        "{service}: investigating",
        "We are investigating a problem with {service} ({impact} impact). "
        "Next update by {next_update}.",
    ),
    (
        "identified",
        "Identified",
        Stage.IDENTIFIED,
        "{service}: cause identified",
        "We have found the cause of the problem with {service} and are working on a fix. "
        "Next update by {next_update}.",
    ),
    (
        "monitoring",
        "Monitoring",
        Stage.MONITORING,
        "{service}: fix applied, monitoring",
        "A fix for {service} is in place and we are watching the results. "
        "Next update by {next_update}.",
    ),
    (
        "resolved",
        "Resolved",
        Stage.RESOLVED,
        "{service}: resolved",
        "The problem with {service} is resolved. Thank you for your patience.",
    ),
]
DEFAULT_STEPS = [
    ("Confirm the impact and the affected services", OwnerRole.LEAD),
    ("Acknowledge and take ownership", OwnerRole.ASSIGNEE),
    ("Post the first public update", OwnerRole.MANAGER),
    ("Open a bridge call and invite the engaged teams", OwnerRole.TEAM),
]
VPN_STEPS = [
    ("Check the VPN concentrator's CPU and sessions", OwnerRole.TEAM),
    ("Fail over to the standby concentrator if CPU stays above 90%", OwnerRole.ASSIGNEE),
    ("Tell the Service Desk which workaround to give callers", OwnerRole.LEAD),
]
TEMPLATES = [
    # slug, name, title, description, service slug, category, impact, urgency, public, steps
    (
        "cannot-log-in",
        "Cannot log in",
        "Cannot log in",
        "I cannot sign in to my account. What I tried:",
        None,
        "Password",
        Level.LOW,
        Level.HIGH,
        True,
        [("Check the account is not locked or expired", OwnerRole.ASSIGNEE)],
    ),
    (
        "printer-problem",
        "Printer problem",
        "Printer problem",
        "Which printer (name or location), and what happens:",
        None,
        "Printer",
        Level.LOW,
        Level.LOW,
        True,
        [("Check the printer's queue and paper or toner", OwnerRole.ASSIGNEE)],
    ),
    (
        "vpn-outage",
        "VPN outage",
        "VPN outage: users cannot connect",
        "Remote users cannot connect to the VPN.",
        "vpn",
        "Connectivity",
        Level.HIGH,
        Level.HIGH,
        False,
        VPN_STEPS,
    ),
    (
        "phishing-report",
        "Phishing report",
        "Suspected phishing e-mail",
        "Who received it, whether anyone clicked or entered a password:",
        "email",
        "Phishing",
        Level.MEDIUM,
        Level.HIGH,
        False,
        [
            ("Block the sender and the link", OwnerRole.TEAM),
            ("Reset the password of anyone who entered it", OwnerRole.ASSIGNEE),
        ],
    ),
]


def seed_preparedness(*, lead_team: Team | None = None) -> None:
    messages = _messages()
    _default_plan(lead_team, messages)
    _vpn_plan(messages)
    _templates()


def _messages() -> dict[str, MessageTemplate]:
    found = {}
    for slug, name, stage, subject, body in MESSAGES:
        found[slug], _ = MessageTemplate.objects.get_or_create(
            slug=slug, defaults={"name": name, "stage": stage, "subject": subject, "body": body}
        )
    return found


def _steps(model, owner, steps) -> None:
    for position, (text, role) in enumerate(steps):
        model.objects.create(position=position, text=text, owner_role=role, **owner)


def _default_plan(lead_team, messages) -> None:
    if ResponsePlan.objects.filter(service__isnull=True).exists():
        return
    plan = ResponsePlan.objects.create(
        name="Default response plan",
        lead_team=lead_team,
        lead_role="Incident commander",
        trigger_priorities=[Priority.P1],
    )
    _steps(PlanStep, {"plan": plan}, DEFAULT_STEPS)
    CommunicationStep.objects.create(
        plan=plan,
        audience=Audience.STATUS_PAGE,
        cadence_minutes=30,
        template=messages["investigating"],
    )
    CommunicationStep.objects.create(plan=plan, audience=Audience.STAKEHOLDERS, cadence_minutes=60)


def _vpn_plan(messages) -> None:
    service = Service.objects.filter(slug="vpn").first()
    if service is None or ResponsePlan.objects.filter(service=service).exists():
        return
    network = Team.objects.filter(slug="network").first()
    plan = ResponsePlan.objects.create(
        name="VPN response plan",
        service=service,
        lead_team=network,
        lead_role="Network on-call engineer",
        trigger_priorities=[Priority.P1, Priority.P2],
    )
    _steps(PlanStep, {"plan": plan}, VPN_STEPS)
    for slug in ("platform", "service-desk"):
        team = Team.objects.filter(slug=slug).first()
        if team is not None:
            Engagement.objects.create(plan=plan, team=team, priorities=[Priority.P1])
    CommunicationStep.objects.create(
        plan=plan,
        audience=Audience.SUBSCRIBERS,
        cadence_minutes=30,
        template=messages["investigating"],
    )


def _templates() -> None:
    for (
        slug,
        name,
        title,
        description,
        service,
        category,
        impact,
        urgency,
        public,
        steps,
    ) in TEMPLATES:
        if IncidentTemplate.objects.filter(slug=slug).exists():
            continue
        template = IncidentTemplate.objects.create(
            slug=slug,
            name=name,
            title=title,
            description=description,
            service=Service.objects.filter(slug=service).first() if service else None,
            category=Category.objects.filter(name=category).first(),
            impact=impact,
            urgency=urgency,
            public=public,
        )
        _steps(TemplateStep, {"template": template}, steps)
