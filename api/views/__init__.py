"""Thin API views: look the incident up for the user, validate, call a service, answer."""
