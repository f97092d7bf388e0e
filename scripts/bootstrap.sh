#!/usr/bin/env bash
# Creates .venv with the pinned toolchain when it is missing or stale, and puts it on PATH.
# Sourced by the scripts (build.sh, check.sh, dbt, python). Sourced by hand
# (`source scripts/bootstrap.sh`) it only exports variables: it sets no shell option
# (no `set -e`) and changes no directory, so the shell behaves as before. Run as
# `bash scripts/bootstrap.sh` it just installs.
_support_kpis_bootstrap() {
    local root venv python stamp started packages
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
    venv="$root/.venv"
    python="${PYTHON:-python3}"
    stamp="$venv/.lock-installed"
    if [ ! -x "$venv/bin/python" ] || ! cmp -s "$root/requirements.lock" "$stamp"; then
        started=$SECONDS
        packages=$(grep -c '==' "$root/requirements.lock")
        echo "==> creating .venv with $("$python" --version 2>&1)"
        "$python" -m venv "$venv" || return 1
        # Not --quiet: pip's lines (a download per package, then the install) are the progress.
        echo "==> installing $packages pinned packages (requirements.lock) into .venv: a few minutes the first time"
        "$venv/bin/python" -m pip install --disable-pip-version-check -r "$root/requirements.lock" || return 1
        cp "$root/requirements.lock" "$stamp" || return 1
        echo "==> toolchain installed in $((SECONDS - started)) s"
    fi
    case ":$PATH:" in
        *":$venv/bin:"*) ;;
        *) export PATH="$venv/bin:$PATH" ;;
    esac
    # The tooling package runs from the checkout; nothing to build or install.
    case ":${PYTHONPATH:-}:" in
        *":$root:"*) ;;
        *) export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" ;;
    esac
    export SUPPORT_KPIS_ROOT="$root"
    export DBT_PROFILES_DIR="$root"
    export DBT_SEND_ANONYMOUS_USAGE_STATS=false
    mkdir -p "$root/warehouse"
}

if ! _support_kpis_bootstrap; then
    unset -f _support_kpis_bootstrap
    echo "bootstrap: could not install the toolchain into .venv (see the messages above)" >&2
    # `return` when sourced (never closes the user's shell), `exit` when run.
    return 1 2>/dev/null || exit 1
fi
unset -f _support_kpis_bootstrap
