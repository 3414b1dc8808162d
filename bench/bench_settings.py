"""Settings for bench/checkin.py only: the app's settings plus the baseline view's URL.

Never used by the app or the tests; the baseline URL stays out of ``config.urls`` and out of the
permission matrix.
"""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
DEBUG = False
# Plain HTTP on loopback.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
