from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

SESSION_TOUCHED_KEY = "_fumin_touched"


class SessionIdleTimeoutMiddleware:
    """The idle timeout without a session write on every request.

    A session's expiry is pushed forward (to now + SESSION_COOKIE_AGE) whenever it is saved. Rather
    than saving it on every request (SESSION_SAVE_EVERY_REQUEST), a request saves it only when it
    was last saved SESSION_TOUCH_SECONDS (a minute) ago or more, by writing the time into it; a
    session that is saved anyway (log-in, messages) gets the time with that save. So an idle
    session ends at most a minute early, never late, and a busy one writes once a minute.

    It sits right after SessionMiddleware, so its answer is seen before that one saves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():  # no cookie, or logged out: nothing to keep
            return response
        touched = session.get(SESSION_TOUCHED_KEY)  # loads it unless a view already did
        if session.is_empty():  # an unknown or expired cookie
            return response
        now = int(timezone.now().timestamp())
        every = min(settings.SESSION_TOUCH_SECONDS, settings.SESSION_COOKIE_AGE // 2)
        if session.modified or touched is None or now - touched >= every:
            session[SESSION_TOUCHED_KEY] = now
        return response


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
