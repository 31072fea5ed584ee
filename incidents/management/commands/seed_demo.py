"""Demo data: services, teams, categories, the five demo users, the Network team's on-call
schedule and escalation policy, response plans and templates (preparedness.seed), and
incidents in every state.

Idempotent: existing users keep their passwords, and incidents are created only when the
database has none, so `make run` can call it every time.
"""

import os
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from incidents import services
from incidents.choices import Channel
from incidents.models import Category, Incident, Service, Team
from incidents.roles import MANAGERS, RESPONDERS
from knowledge.demo import seed_articles
from preparedness.seed import seed_preparedness

DEFAULT_PASSWORD = "itsm-demo-2026"  # noqa: S105 - documented demo credential
USERS = [
    # username, first, last, staff, superuser, group
    ("admin", "Ada", "Admin", True, True, None),
    ("manager", "Morgan", "Manager", True, False, MANAGERS),
    ("agent", "Alex", "Agent", True, False, RESPONDERS),
    ("alice", "Alice", "Anders", False, False, None),
    ("bob", "Bob", "Brown", False, False, None),
]
TEAMS = [("Service Desk", "service-desk"), ("Network", "network"), ("Platform", "platform")]
SERVICES = [
    ("E-mail", "email", "service-desk", "Company e-mail and calendars."),
    ("VPN", "vpn", "network", "Remote access to the company network."),
    ("Wi-Fi", "wifi", "network", "Office wireless network."),
    ("Payroll", "payroll", "platform", "Monthly payroll and expenses."),
    ("Storage", "storage", "platform", "File shares and backups."),
]
CATEGORIES = {
    "Hardware": ["Laptop", "Printer", "Phone"],
    "Software": ["Installation", "Bug", "Licence"],
    "Network": ["Connectivity", "Performance"],
    "Access": ["Password", "Permissions"],
    "Security": ["Phishing", "Data breach"],
}
# Incidents of these categories start confidential (incidents/visibility.py).
CONFIDENTIAL_CATEGORIES = {"Security"}


class Command(BaseCommand):
    help = "Create demo services, teams, users and incidents (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("ITSM_DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="Password for new demo users (default: $ITSM_DEMO_PASSWORD or the built-in).",
        )

    @transaction.atomic
    def handle(self, *args, password, **options):
        users = self._users(password)
        teams = self._teams(users)
        catalog = self._services(teams)
        self._categories()
        self._engagement(users, teams["network"])
        seed_preparedness(lead_team=teams["service-desk"])
        seed_articles(actor=users["agent"], catalog=catalog)
        if Incident.objects.exists():
            self.stdout.write("Demo incidents already present; nothing to add.")
            return
        self._incidents(users, catalog)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {Incident.objects.count()} incidents.")
        )

    def _users(self, password):
        User, users = get_user_model(), {}
        for username, first, last, staff, superuser, group in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                    "is_staff": staff,
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            if group:
                user.groups.add(Group.objects.get(name=group))
            users[username] = user
        return users

    def _teams(self, users):
        teams = {}
        for name, slug in TEAMS:
            team, _ = Team.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "email": f"{slug}@example.com", "lead": users["manager"]},
            )
            team.members.add(users["agent"], users["manager"])
            teams[slug] = team
        # The security team sees every confidential incident; agent is not in it, so the
        # demo shows a responder who does not see the phishing report.
        security, _ = Team.objects.get_or_create(
            slug=settings.ITSM_SECURITY_TEAM,
            defaults={"name": "Security", "email": "security@example.com"},
        )
        security.members.add(users["manager"])
        return teams

    def _services(self, teams):
        catalog = {}
        for name, slug, team, description in SERVICES:
            catalog[slug], _ = Service.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "owner_team": teams[team], "description": description},
            )
        return catalog

    def _categories(self):
        for top, children in CATEGORIES.items():
            parent, _ = Category.objects.get_or_create(
                name=top,
                parent=None,
                defaults={"confidential_by_default": top in CONFIDENTIAL_CATEGORIES},
            )
            for child in children:
                Category.objects.get_or_create(name=child, parent=parent)

    def _engagement(self, users, team):
        """Network pages: a weekly rotation of agent and manager (hand-off Monday 09:00),
        then, five minutes on, the team lead and the incident managers."""
        from oncall.models import Schedule
        from oncall.services import LayerSpec, schedule_create
        from paging.models import EscalationPolicy, EscalationStep

        schedule = Schedule.objects.filter(name="Network primary").first()
        if schedule is None:
            today = timezone.localdate()
            monday = datetime.combine(today - timedelta(days=today.weekday()), time(9))
            week = LayerSpec(
                start=timezone.make_aware(monday),
                shift_length=7,
                shift_unit="days",
                participants=[users["agent"], users["manager"]],
            )
            schedule = schedule_create(
                name="Network primary",
                team=team,
                time_zone=settings.TIME_ZONE,
                layers=[week],
                actor=users["manager"],
            )
        policy, created = EscalationPolicy.objects.get_or_create(
            team=team, defaults={"name": "Network paging"}
        )
        if created:
            first = EscalationStep.objects.create(policy=policy, position=0, delay_minutes=5)
            first.schedules.add(schedule)
            EscalationStep.objects.create(
                policy=policy,
                position=1,
                delay_minutes=10,
                team_lead=True,
                incident_managers=True,
            )

    def _incidents(self, users, catalog):
        alice, bob, agent = users["alice"], users["bob"], users["agent"]

        def new(title, reporter, service, impact="medium", urgency="medium", **kw):
            return services.incident_create(
                title=title,
                reporter=reporter,
                via=Channel.PORTAL,
                service=catalog[service],
                impact=impact,
                urgency=urgency,
                description=kw.pop("description", title),
                **kw,
            )

        new("Printer on floor 2 jams", bob, "storage", "low", "low")
        ack = new("Calendar invites arrive late", alice, "email")
        services.incident_acknowledge(incident=ack, actor=agent, via=Channel.ADMIN)
        vpn = new(
            "VPN drops every 10 minutes",
            alice,
            "vpn",
            "high",
            "high",
            description="Since this morning the VPN disconnects every few minutes.",
        )
        services.incident_assign(incident=vpn, actor=agent, via=Channel.ADMIN, assignee=agent)
        services.incident_start(incident=vpn, actor=agent, via=Channel.ADMIN)
        services.incident_declare_major(incident=vpn, actor=users["manager"], via=Channel.ADMIN)
        services.incident_comment(
            incident=vpn,
            author=agent,
            via=Channel.ADMIN,
            public=True,
            body="We are investigating the VPN concentrator.",
        )
        services.incident_comment(
            incident=vpn,
            author=agent,
            via=Channel.ADMIN,
            public=False,
            body="Concentrator CPU at 98%; suspect the firmware update.",
        )
        hold = new("Payslip shows wrong tax code", bob, "payroll", "low", "medium")
        services.incident_start(incident=hold, actor=agent, via=Channel.ADMIN)
        services.incident_hold(
            incident=hold, actor=agent, via=Channel.ADMIN, reason="awaiting_user"
        )
        resolved = new("Cannot open shared folder", alice, "storage")
        services.incident_resolve(
            incident=resolved,
            actor=agent,
            via=Channel.ADMIN,
            resolution_code="config_change",
            resolution_notes="Permissions on the share were restored.",
        )
        closed = new("Wi-Fi slow in meeting room", bob, "wifi", "medium", "low")
        services.incident_resolve(
            incident=closed,
            actor=agent,
            via=Channel.ADMIN,
            resolution_code="fixed",
            resolution_notes="Access point replaced.",
        )
        services.incident_close(incident=closed, actor=bob, via=Channel.PORTAL)
        new(
            "Entered my password on a fake login page",
            bob,
            "email",
            "high",
            "high",
            category=Category.objects.get(name="Phishing"),
            description="A mail from 'IT support' asked me to log in; I did, then noticed "
            "the address was wrong.",
        )
        cancelled = new("Test ticket, please ignore", alice, "email", "low", "low")
        services.incident_cancel(
            incident=cancelled, actor=agent, via=Channel.ADMIN, reason="Logged by mistake."
        )
