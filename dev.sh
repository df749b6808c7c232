#!/usr/bin/env bash
# One entry point for a fresh machine:
#   ./dev.sh run    set up .venv and start a gateway with an embedded NATS on loopback
#   ./dev.sh test   set up .venv, the system packages and npm packages the tests use, then lint, type-check and test
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
    # Real ffmpeg, OpenSSH, Chromium and Node.js for the tests that touch them (Debian packages).
    local want=() 
    command -v ffmpeg >/dev/null || want+=(ffmpeg)
    [ -x /usr/sbin/sshd ] || want+=(openssh-server)
    command -v ssh >/dev/null || want+=(openssh-client)
    command -v chromium >/dev/null || want+=(chromium)
    command -v node >/dev/null || want+=(nodejs)
    command -v npm >/dev/null || want+=(npm)
    if [ ${#want[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >/dev/null
        else
            echo "warning: missing ${want[*]} (run as root to install); tests needing them will fail" >&2
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
        "$VENV/bin/ruff" check .
        "$VENV/bin/ruff" format --check .
        "$VENV/bin/mypy"
        "$VENV/bin/lint-imports"
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    bench)
        setup_venv
        exec "$VENV/bin/python" -m bench "$@"
        ;;
    *)
        echo "usage: ./dev.sh run|test|bench [args]" >&2
        exit 2
        ;;
esac
