# FrontWelfare production image: gunicorn serves the app, WhiteNoise serves the static files.
# The same image runs the Celery worker and beat (see docker-compose.yml).
#
#   docker build -t frontwelfare .
#   docker run --env-file .env -p 8000:8000 frontwelfare

# --- Stage 1: front-end assets (Bootstrap, htmx, Chart.js) from npm, copied into frontwelfare/static/vendor/
FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
RUN npm run build

# --- Stage 2: the application
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=frontwelfare.settings.production \
    WEB_CONCURRENCY=3

# Pango, HarfBuzz's font subsetter and a font with every Vietnamese letter for WeasyPrint (PDF
# reports). The .mo translation files are committed, so gettext is not needed here.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Runtime dependencies first (not [dev]), pinned by constraints.txt, in their own layer so a
# code change does not reinstall them.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The source tree: manage.py and templates/ sit at the top, so the app runs from /app.
# The editable install only registers the frontwelfare package (its dependencies are above);
# templates, static files and translations are read from /app.
COPY . .
COPY --from=assets /src/frontwelfare/static/vendor/ frontwelfare/static/vendor/
RUN pip install --no-cache-dir --no-deps -e .

# Static files are collected at build time into /app/var/static (STATIC_ROOT). Production
# settings require these variables; the values are placeholders, nothing connects anywhere.
RUN SECRET_KEY=build-only-placeholder-that-signs-nothing-0123456789abcdef ALLOWED_HOSTS=build DATABASE_URL=postgres://build/build \
    python manage.py collectstatic --no-input

# Run as a non-root user. Uploads and report files go to /app/var/media (mount a volume
# there, shared by web and worker).
RUN groupadd --system --gid 1000 app \
 && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
 && install -d -o app -g app /app/var/media \
 && chown app:app /app/var
USER app

EXPOSE 8000

# gunicorn takes its number of workers from WEB_CONCURRENCY (3 unless set at run time).
CMD ["gunicorn", "frontwelfare.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
