"""Demo articles for the demo services (called by `manage.py seed_demo`); added only when
the knowledge base is empty, so seeding again changes nothing."""

from knowledge import services
from knowledge.choices import Audience
from knowledge.models import Article

ARTICLES = [
    (
        "vpn",
        "VPN disconnects every few minutes",
        Audience.PUBLIC,
        "## Symptoms\n\nThe VPN connects, then drops after a few minutes, often on train or "
        "hotel Wi-Fi.\n\n## What to do\n\n1. Update the VPN client: *Software Centre → VPN*."
        "\n2. In the client, choose **Settings → Protocol → Automatic**.\n3. Connect again.\n\n"
        "Still dropping? Report it with the time it last dropped.",
    ),
    (
        "vpn",
        "VPN token expired or rejected",
        Audience.PUBLIC,
        "## Symptoms\n\nThe VPN says *token rejected* or *token expired*.\n\n## What to do\n\n"
        "Tokens last a year. Open the self-service page and choose **Renew my token**; the "
        "new one works within five minutes.",
    ),
    (
        "email",
        "Calendar invitations arrive late",
        Audience.PUBLIC,
        "## What to do\n\nRemove the shared calendars you no longer use "
        "(*Calendar → Shared → Remove*); each one slows the sync of all the others. Then "
        "restart Outlook.",
    ),
    (
        "wifi",
        "Wi-Fi: cannot join the office network",
        Audience.PUBLIC,
        "## What to do\n\n1. Forget the network **Corp-WiFi**.\n2. Join again and sign in "
        "with your company account, not your e-mail address.\n3. Accept the certificate "
        "*radius.example.com*. Any other certificate name: do not accept it, report it.",
    ),
    (
        "storage",
        "Restoring a file share from backup",
        Audience.STAFF,
        "## For the service desk\n\nSnapshots are kept 30 days. In the storage console: "
        "*Shares → the share → Snapshots*, choose the day, **Restore to a new folder**, "
        "never over the original. Tell the requester the folder's path.",
    ),
]


def seed_articles(*, actor, catalog: dict) -> int:
    """Publish the demo articles on the services of `catalog` (slug → Service)."""
    if Article.objects.exists():
        return 0
    for slug, title, audience, body in ARTICLES:
        article = services.article_create(
            actor=actor, title=title, body=body, audience=audience, service=catalog.get(slug)
        )
        services.article_publish(article=article, actor=actor)
    return len(ARTICLES)
