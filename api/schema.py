"""OpenAPI extensions: how our authentication appears in the schema and Swagger UI."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema, so Swagger UI offers “Authorize”."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token: `python manage.py create_api_token USERNAME`"
            " or the admin (REST API > API tokens).",
        }
