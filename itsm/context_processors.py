from django.conf import settings


def product(request):
    """Values every template may show: the product name and whether sign-up is open."""
    return {"ITSM_ALLOW_SIGNUP": settings.ITSM_ALLOW_SIGNUP, "SITE_URL": settings.SITE_URL}
