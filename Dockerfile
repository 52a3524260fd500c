# syntax=docker/dockerfile:1
# One image for the three edgarmon services; the command picks the service:
#   docker run edgarmon poller | classifier | notifier
# Build: docker build -t edgarmon .   (see deploy/README.md)

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: install edgarmon and its dependencies into a virtualenv ------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/edgarmon

WORKDIR /build
# The package is a namespace package over src/ and services/*/ (pyproject's wheel
# targets); README.md is the package's readme.
COPY pyproject.toml README.md ./
COPY src ./src
COPY services ./services
RUN /opt/edgarmon/bin/pip install . \
    && /opt/edgarmon/bin/edgarmon --help \
    && /opt/edgarmon/bin/pip uninstall --yes pip setuptools

# --- runtime: the virtualenv on a clean slim base, as a non-root user -----------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="edgarmon" \
      org.opencontainers.image.description="SEC EDGAR filing monitor: poller, classifier, notifier" \
      org.opencontainers.image.licenses="Apache-2.0"

RUN groupadd --system --gid 10001 edgarmon \
    && useradd --system --uid 10001 --gid edgarmon --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin edgarmon

COPY --from=builder /opt/edgarmon /opt/edgarmon

ENV PATH="/opt/edgarmon/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

# Numeric, so Kubernetes can check runAsNonRoot without reading /etc/passwd.
USER 10001:10001
WORKDIR /tmp

# /livez, /readyz and /metrics (EDGARMON_HEALTH_PORT).
EXPOSE 8080

ENTRYPOINT ["edgarmon"]
CMD ["--help"]
