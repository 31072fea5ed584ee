"""Not business side effects: the cached locale is read fresh at sign-in and forgotten
whenever a profile row changes, whichever door (page, admin inline, shell) changed it."""

from profiles.services import forget, preferred


def warm_at_sign_in(sender, request, user, **kwargs):
    forget(user.pk)
    preferred(user)


def forget_changed(sender, instance, **kwargs):
    forget(instance.user_id)
