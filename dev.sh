#!/usr/bin/env bash
# One entry point for a fresh machine:
#   ./dev.sh run    set up .venv and start a gateway with an embedded NATS on loopback
#   ./dev.sh test   set up .venv, the system packages and npm packages the tests use, then lint, type-check and test
#   ./dev.sh image  build the container image localhost/relay:dev (docs/containers.md)
#   ./dev.sh bench  run the benchmarks (JSON on stdout)
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=.venv

setup_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PY" -m venv "$VENV"
    fi
    # Reinstall only when the project's declared dependencies changed.
    local stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -e ".[gateway,dev]"
        rm -f "$VENV"/.installed-* && touch "$stamp"
    fi
}

setup_system() {
    # Debian packages the tests use: real ffmpeg, OpenSSH, Chromium and Node.js, and rootful
    # podman (runc; debootstrap builds the local Debian base image) for the container tests.
    local want=()
    command -v ffmpeg >/dev/null || want+=(ffmpeg)
    [ -x /usr/sbin/sshd ] || want+=(openssh-server)
    command -v ssh >/dev/null || want+=(openssh-client)
    command -v chromium >/dev/null || want+=(chromium)
    command -v node >/dev/null || want+=(nodejs)
    command -v npm >/dev/null || want+=(npm)
    command -v podman >/dev/null || want+=(podman)
    command -v runc >/dev/null || want+=(runc)
    command -v debootstrap >/dev/null || want+=(debootstrap)
    if [ ${#want[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "installing Debian packages: ${want[*]}" >&2
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
        else
            echo "warning: missing ${want[*]} (run as root to install); tests needing them will fail or skip" >&2
        fi
    fi
}

setup_js() {
    # The JS client's test dependencies (ws, jsmpeg) from the npm registry, as pinned by the lockfile.
    local lock=clients/js/package-lock.json
    local stamp="clients/js/node_modules/.installed-$(sha1sum "$lock" | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        (cd clients/js && npm ci --no-audit --no-fund --loglevel=error)
        touch "$stamp"
    fi
}

setup_nginx() {
    # The nginx site test runs a real nginx: Debian's binary, unpacked into .relay/ rather than
    # installed (installing starts a system nginx on port 80 where an init system runs).
    if [ -n "${RELAY_TEST_NGINX:-}" ] || command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
        return 0
    fi
    local dir=.relay/nginx
    if [ ! -x "$dir/usr/sbin/nginx" ] && command -v apt-get >/dev/null; then
        echo "unpacking Debian's nginx into $dir (for tests/integration/test_nginx_site.py)" >&2
        mkdir -p "$dir"
        if (cd "$dir" && apt-get download -qq nginx >/dev/null 2>&1); then
            dpkg-deb -x "$dir"/nginx_*.deb "$dir" && rm -f "$dir"/nginx_*.deb
        fi
    fi
    if [ -x "$dir/usr/sbin/nginx" ]; then
        export RELAY_TEST_NGINX="$PWD/$dir/usr/sbin/nginx"
    fi
}

use_containers_conf() {
    # This machine type needs runc, no default ulimits and host networking (infra/containers/).
    if [ -z "${CONTAINERS_CONF:-}" ] && command -v runc >/dev/null; then
        export CONTAINERS_CONF="$PWD/infra/containers/containers.conf"
    fi
}

container_engine() {
    # The first engine that answers, not merely the first CLI on PATH (a docker CLI may have no engine).
    local engine
    for engine in ${RELAY_IMAGE_ENGINE:-docker podman}; do
        if command -v "$engine" >/dev/null && "$engine" info >/dev/null 2>&1; then
            echo "$engine"
            return 0
        fi
    done
    return 1
}

build_image() {
    # ./dev.sh image [build args]: localhost/relay:dev on RELAY_IMAGE_BASE; RELAY_IMAGE_OFFLINE=1
    # installs only from a wheelhouse made here first (build/wheelhouse), so the build needs no index.
    use_containers_conf
    local engine
    if ! engine=$(container_engine); then
        echo "no container engine answers (tried: ${RELAY_IMAGE_ENGINE:-docker podman} info)" >&2
        exit 1
    fi
    local args=(
        --build-arg "BASE=${RELAY_IMAGE_BASE:-python:3.12-slim}"
        --build-arg "REVISION=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
        -t "${RELAY_IMAGE_TAG:-localhost/relay:dev}"
    )
    if [ "${RELAY_IMAGE_OFFLINE:-0}" = 1 ]; then
        setup_venv
        rm -rf build/wheelhouse
        "$VENV/bin/python" -m pip wheel --quiet --wheel-dir build/wheelhouse ".[gateway]" "setuptools>=77" wheel
        args+=(--build-arg WHEELHOUSE=build/wheelhouse)
    fi
    echo "building ${RELAY_IMAGE_TAG:-localhost/relay:dev} with $engine on ${RELAY_IMAGE_BASE:-python:3.12-slim}" >&2
    exec "$engine" build "${args[@]}" "$@" .
}

cmd=${1:-run}
shift || true
case "$cmd" in
    run)
        setup_venv
        exec "$VENV/bin/python" -m gateway demo "$@"
        ;;
    test)
        setup_venv
        setup_system
        setup_js
        setup_nginx
        # CI runs the container path of the NATS fixtures (tests/natscontainers.py): a broken
        # engine fails the run instead of falling back to the nats-server binary.
        if [ "$(id -u)" = 0 ] && command -v podman >/dev/null; then
            export RELAY_TEST_NATS=${RELAY_TEST_NATS:-container}
        fi
        "$VENV/bin/ruff" check .
        "$VENV/bin/ruff" format --check .
        "$VENV/bin/mypy"
        "$VENV/bin/lint-imports"
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    image)
        build_image "$@"
        ;;
    bench)
        setup_venv
        exec "$VENV/bin/python" -m bench "$@"
        ;;
    *)
        echo "usage: ./dev.sh run|test|image|bench [args]" >&2
        exit 2
        ;;
esac
