"""The quick start (`make run`): debug on, SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Static files come from the finders (WhiteNoise follows DEBUG); only production collects them.
STATIC_ROOT = None
