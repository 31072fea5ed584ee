"""Serializer fields made once per process, and copied cheaply for each instance.

DRF gives every serializer instance its own fields (each is bound to its parent): a plain
`Serializer` deep-copies its declared fields, which for a related field means copying its
queryset and the query inside it; a `ModelSerializer` also works out every model field's
serializer field again (its kwargs from the model field's choices, validators, lengths and
help text). For the incident representation and the create input that was 40 fields and
about a millisecond of CPU on every list, detail and create.

Here the fields are made once per class and each instance gets shallow copies: a field's
own attributes (name, parent, source, set by `bind`) are its copy's, while what it only
reads (choices, validators, a queryset it clones with `.all()` before use) is shared.
Fields that hold another field or serializer (`ListField.child`, `many=True`, nested
serializers) bind those too, so they are deep-copied as before. Only for serializers
whose fields do not depend on the request or the instance.
"""

import copy

from rest_framework import serializers


def _own_copy(field):
    nested = isinstance(field, serializers.BaseSerializer) or any(
        hasattr(field, name) for name in ("child", "child_relation")
    )
    return copy.deepcopy(field) if nested else copy.copy(field)


class _MadeOnce:
    def get_fields(self):
        cls = type(self)
        made = cls.__dict__.get("_fields_made_once")
        if made is None:
            made = super().get_fields()
            cls._fields_made_once = made
        return {name: _own_copy(field) for name, field in made.items()}


class FieldsMadeOnce(_MadeOnce, serializers.Serializer):
    pass


class ModelFieldsMadeOnce(_MadeOnce, serializers.ModelSerializer):
    pass
