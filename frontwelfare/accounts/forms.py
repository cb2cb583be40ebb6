from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refusing in the project's own words (Django's stock text names
    the field by its model label and reads as a machine's)."""

    error_messages = {
        "invalid_login": _("The username or password is not right. If you have forgotten your password, ask your "
                           "district's administrator to reset it."),
        "inactive": _("This account is disabled. Ask your district's administrator."),
    }
