from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login unless marked ``login_not_required``.

    The JSON API is exempt here because it answers for itself, with a 401 in JSON rather than a
    redirect to the login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Simplified Chinese unless the person chose another language with the switch.

    Django's own middleware would follow the browser's Accept-Language, which turns the UI English
    on the many phones and office PCs set to English. Only an explicit choice (the language cookie)
    changes the pages; API callers, which have no switch, are answered in their Accept-Language.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not (language and translation.check_for_language(language)):
            if request.path_info.startswith("/api/"):
                language = translation.get_language_from_request(request)
            else:
                language = settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(language)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
