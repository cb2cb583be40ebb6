"""gunicorn's settings, read from the working directory (/app in the image, the checkout's top).

gunicorn marks a request HTTPS when a trusted address sends ``X-Forwarded-Proto: https`` (or
two other headers): with its defaults, any client reaching it through a proxy on the same host
could pass for HTTPS. It trusts the header only when ``BEHIND_TLS_PROXY`` says a TLS-terminating
proxy always sets and overwrites it, like Django's SECURE_PROXY_SSL_HEADER (settings/production.py).
"""

from pathlib import Path
from runpy import run_path

# The strict reader of the settings, loaded by path: importing the frontwelfare package here would
# load its Celery app, which picks the dev settings before wsgi.py picks production.
env_bool = run_path(str(Path(__file__).resolve().parent / "frontwelfare" / "settings" / "env.py"))["env_bool"]

if env_bool("BEHIND_TLS_PROXY", False):
    # Only the header the proxy overwrites; X-Forwarded-Ssl and X-Forwarded-Protocol could pass
    # through it from the client. The proxy's address varies (a container network), and the
    # app is reachable only through it.
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
    forwarded_allow_ips = "*"
else:
    secure_scheme_headers = {}
    forwarded_allow_ips = ""


def post_worker_init(worker):
    """Once a worker has loaded the app, the objects it holds (Django, the URL patterns, the
    models, the libraries: several hundred thousand) are moved out of the garbage collector's
    sight (gc.freeze). Its full collections, which come every few dozen requests, then scan what
    requests allocate, not the whole process: without this, each added tens of milliseconds to the
    request it fell on (seen in the load test's p95). Nothing frozen is ever freed, and nothing of
    what was loaded at start-up is meant to be."""
    import gc

    gc.freeze()
