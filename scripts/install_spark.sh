#!/usr/bin/env bash
# Installs a Java runtime for the local Spark target (profiles.yml `spark`, method session:
# pyspark from requirements.lock starts a JVM in the dbt process) when none is on PATH
# (idempotent: does nothing when `java` runs). Debian's OpenJDK 17: what pyspark 4 supports and
# what tests/python/test_spark_engine.py runs on. Needs root or sudo for apt-get.
set -euo pipefail
if command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "==> installing openjdk-17-jre-headless (Debian package) for the spark target"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The JRE's post-install step links man pages; a slim image without /usr/share/man/man1 fails it.
$SUDO mkdir -p /usr/share/man/man1
$SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
java -version
