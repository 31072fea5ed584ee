"""Serializers: validate input and shape output. They hold no business rules; the views
pass validated data to `incidents.services`."""
