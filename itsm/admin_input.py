"""Relation fields of admin forms that hold against values which are not ids.

An autocomplete widget looks up the value it is rendered with as an id of the related
model: the initial value an add page takes from its query string (`?service=%00`) or a
value posted back to a form with errors (the change page, simple-history's revert page).
A value that is not an id (text, NUL, a number past the column's range) made that lookup
fail with a 500. These widgets drop such values, so the field shows empty and the form's
own validation names it. A many-to-many field checks a posted number past any id as an
invalid choice (SQLite cannot even bind one: OverflowError).
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

from itsm.forms import ModelMultipleChoiceField


class _IdsOnly:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._is_id(item)], attr)

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


class AutocompleteIdsMixin:
    """Mixed into every ModelAdmin by the admin site (itsm.admin.ItsmAdminSite.register)."""

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
