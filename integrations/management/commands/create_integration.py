"""`manage.py create_integration --kind alertmanager --name prometheus [--service vpn]`:
creates an integration and prints its secret token as the last line (shown only once)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from incidents.models import Service, Team
from integrations import services
from integrations.choices import Kind


class Command(BaseCommand):
    help = "Create a monitoring integration and print its token (last line; shown once)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument("--name", required=True)
        parser.add_argument("--service", help="Slug of the default service.")
        parser.add_argument("--team", help="Slug of the default team.")
        parser.add_argument("--heartbeat-minutes", type=int, help="Expect a heartbeat this often.")

    def handle(self, *args, kind, name, service, team, heartbeat_minutes, **options):
        try:
            integration, token = services.integration_create(
                kind=kind,
                name=name,
                default_service=self._lookup(Service, service, "service"),
                default_team=self._lookup(Team, team, "team"),
                heartbeat_interval_minutes=heartbeat_minutes,
            )
        except ValidationError as error:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise CommandError(messages) from error
        path = "integrations/alertmanager/" if kind == Kind.ALERTMANAGER else "events/"
        self.stdout.write(
            f"Created {integration.get_kind_display()} integration {integration.name!r}. "
            f"Send `Authorization: Bearer <token>` to /api/v1/{path}. The token is shown "
            "only now:"
        )
        self.stdout.write(token)

    def _lookup(self, model, slug, what):
        if not slug:
            return None
        found = model.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(model.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No {what} with slug {slug!r} (known: {known}).")
        return found
