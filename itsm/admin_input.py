"""Relation fields of admin forms that hold against values which are not ids.

An autocomplete widget looks up the value it is rendered with as an id of the related
model: the initial value an add page takes from its query string (`?service=%00`) or a
value posted back to a form with errors (the change page, simple-history's revert page).
A value that is not an id (text, NUL, a number past the column's range) made that lookup
fail with a 500. These widgets drop such values, so the field shows empty and the form's
own validation names it. A many-to-many field checks a posted number past any id as an
invalid choice (SQLite cannot even bind one: OverflowError).
"""

import functools

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

from itsm.forms import ModelMultipleChoiceField


class _IdsOnly:
    # The related object the form's instance already holds (see `show_held_choice`).
    held = None

    def optgroups(self, name, value, attr=None):
        value = [item for item in value if self._is_id(item)]
        if self.held is not None and not self.allow_multiple_selected:
            groups = self._held_optgroups(name, value)
            if groups is not None:
                return groups
        return super().optgroups(name, value, attr)

    def _held_optgroups(self, name, value):
        """AutocompleteSelect.optgroups when the one selected value is `held`, without
        reading it again; None when another value is selected."""
        remote_opts = self.field.remote_field.model._meta
        to_field = getattr(self.field.remote_field, "field_name", remote_opts.pk.attname)
        key = getattr(self.held, remote_opts.get_field(to_field).attname)
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if selected != {str(key)}:
            return None
        default = (None, [], 0)
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(self.held)
        default[1].append(self.create_option(name, key, label, selected, len(default[1])))
        return [default]

    def _is_id(self, item) -> bool:
        if item in (None, ""):
            return True
        target = self.field.target_field
        try:
            target.run_validators(target.to_python(item))
        except (ValidationError, TypeError, ValueError):
            return False
        return True


class IdsOnlyAutocompleteSelect(_IdsOnly, AutocompleteSelect):
    pass


class IdsOnlyAutocompleteSelectMultiple(_IdsOnly, AutocompleteSelectMultiple):
    pass


def show_held_choice(form, name: str) -> None:
    """The autocomplete of `name` shows the related object `form.instance` already holds
    (joined when it was read) instead of reading it again. Only for a field whose choices
    are every row of the related model: the widget's own read would find that object."""
    field = form.fields.get(name)
    widget = getattr(field.widget, "widget", field.widget) if field else None
    relation = form.instance._meta.get_field(name)
    if isinstance(widget, _IdsOnly) and relation.is_cached(form.instance):
        widget.held = getattr(form.instance, name)


class AutocompleteIdsMixin:
    """Mixed into every ModelAdmin by the admin site (itsm.admin.ItsmAdminSite.register),
    and into each of its inlines, which the site never registers."""

    def get_inlines(self, request, obj):
        return [_with_ids_only(inline) for inline in super().get_inlines(request, obj)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            using = kwargs.get("using")
            kwargs["widget"] = IdsOnlyAutocompleteSelect(db_field, self.admin_site, using=using)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsOnlyAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@functools.cache
def _with_ids_only(inline):
    if issubclass(inline, AutocompleteIdsMixin):
        return inline
    return type(inline.__name__, (AutocompleteIdsMixin, inline), {})
