# Relay images: the gateway (default target) and hostd (--target hostd). docs/containers.md.
#
#   ./dev.sh image                                   # localhost/relay:dev with docker or podman
#   docker build --build-arg BASE=python:3.12-slim -t relay .
#   docker build --target hostd -t relay-hostd .
#
# BASE is any image with python3 >= 3.11 (and its venv module). With WHEELHOUSE naming a
# directory of wheels inside the build context (made on the host: `pip wheel '.[gateway]'`),
# the build installs only from it and needs no network; without it, pip reaches the index.
# No secret is baked in: RELAY_SECRET and friends come from the environment at run time.
ARG BASE=python:3.12-slim

FROM ${BASE} AS build
ARG WHEELHOUSE=""
# Marks podman's leftover stage images, for `podman image prune --filter label=relay.stage=build`.
LABEL relay.stage=build
WORKDIR /src
COPY . /src
# One venv per program under /opt; the final stages copy it onto the same BASE (same python path).
# Offline, the wheelhouse also holds the build backend (setuptools, wheel) for /src itself.
RUN set -eu; \
    if [ -n "$WHEELHOUSE" ]; then offline="--no-index --find-links /src/$WHEELHOUSE"; else offline=""; fi; \
    python3 -m venv /opt/relay; \
    /opt/relay/bin/pip install --no-cache-dir $offline "/src[gateway]"; \
    python3 -m venv /opt/hostd; \
    /opt/hostd/bin/pip install --no-cache-dir $offline /src; \
    /opt/relay/bin/gateway --help >/dev/null; /opt/hostd/bin/hostd --help >/dev/null

# A non-root account without useradd (not every python3 base has it).
FROM ${BASE} AS runtime
RUN echo 'relay:x:10001:10001:relay:/var/lib/relay:/usr/sbin/nologin' >> /etc/passwd \
    && echo 'relay:x:10001:' >> /etc/group \
    && mkdir -p /var/lib/relay && chown 10001:10001 /var/lib/relay
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=""
ARG BASE
LABEL org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${BASE}"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOME=/var/lib/relay
WORKDIR /var/lib/relay
USER 10001:10001

FROM runtime AS hostd
LABEL org.opencontainers.image.title="relay-hostd" \
      org.opencontainers.image.description="Relay hostd: bridges a lab machine's feeds to a Relay gateway"
COPY --from=build /opt/hostd /opt/hostd
ENV PATH=/opt/hostd/bin:$PATH
ENTRYPOINT ["hostd"]
CMD ["run", "--config", "/etc/hostd/hostd.yaml"]

FROM runtime AS gateway
LABEL org.opencontainers.image.title="relay-gateway" \
      org.opencontainers.image.description="Relay gateway: practable-compatible websocket relay over NATS"
COPY --from=build /opt/relay /opt/relay
ENV PATH=/opt/relay/bin:$PATH
# Image default: listen on every interface of the container's own network namespace (a port
# must be published to be reachable). With --network host set RELAY_HOST=127.0.0.1 (docs/containers.md).
ENV RELAY_HOST=0.0.0.0
EXPOSE 3000 3001
ENTRYPOINT ["gateway", "serve"]
