#!/usr/bin/env bash
# Set Courrier up on Debian 12 (as root) and run one job:
#   scripts/setup.sh demo   install, ingest every file in sample_scans/, then search for them
#   scripts/setup.sh test   install, then run the linters and the whole test suite
#   scripts/setup.sh install   install only
# Idempotent: a second run skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-demo}"

APT_PACKAGES=(python3-venv python3-dev tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng
  tesseract-ocr-deu ghostscript poppler-utils qpdf unpaper pngquant fonts-dejavu-core
  fonts-liberation fonts-urw-base35
  postgresql)  # postgresql: the register's PostgreSQL test starts a throwaway server

install_system() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: Debian packages already installed"
  fi
}

install_python() {
  # Debian's own Python 3.11, not whatever python3 is first on PATH.
  [ -x .venv/bin/python ] || /usr/bin/python3 -m venv .venv
  local stamp=.venv/.courrier-installed
  local want
  want="$(cat pyproject.toml models/requirements-models.txt 2>/dev/null | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing Python packages into .venv"
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e '.[dev,postgres,celery]'
    # The French spaCy model: the genuine Explosion wheel, pinned by its sha256, no deps.
    if [ -f models/requirements-models.txt ]; then
      .venv/bin/pip install -q --no-deps --require-hashes -r models/requirements-models.txt
    fi
    echo "$want" > "$stamp"
  else
    echo "setup: Python packages already installed"
  fi
}

run_demo() {
  local home="${COURRIER_HOME:-$PWD/watch_dirs}"
  echo "setup: ingesting sample_scans/ into $home"
  local ingest_status=0  # the searches below still run, then the demo fails if ingest did
  .venv/bin/courrier --home "$home" --log-level WARNING ingest sample_scans/ || ingest_status=$?
  echo
  echo "setup: searching the archive for each sample's reference"
  for expected in sample_scans/*.expected.json; do
    ref="$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["reference"])' "$expected")"
    echo "\$ courrier search 'ref:\"$ref\"'"
    .venv/bin/courrier --home "$home" search --limit 3 "ref:\"$ref\""
  done
  echo
  .venv/bin/courrier --home "$home" status
  if ((ingest_status)); then
    echo "setup: ingest failed for some samples (exit $ingest_status): see the messages above" >&2
    return "$ingest_status"
  fi
}

run_tests() {
  .venv/bin/ruff check pipeline tests bench scripts
  .venv/bin/mypy pipeline
  .venv/bin/python -m pytest -q -ra --durations=15 tests
}

export OMP_THREAD_LIMIT=1
install_system
install_python
case "$mode" in
  demo) run_demo ;;
  test) run_tests ;;
  install) ;;
  *) echo "usage: scripts/setup.sh demo|test|install" >&2; exit 2 ;;
esac
