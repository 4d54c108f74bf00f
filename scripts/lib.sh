# Shared set-up for scripts/start and scripts/test: each ensure_* step installs or builds only
# what is missing or out of date, so a fresh clone and a warm checkout run the same commands.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
OLDEST_VENV="$ROOT/.venv-oldest"
STAMPS="$ROOT/node_modules/.cache/notebook-gallery"
DIST_DIR="$ROOT/dist"
LABEXT_OUT="$ROOT/packages/labextension/jupyterlab_notebook_gallery/labextension"
CLI="$ROOT/packages/server/bin/notebook-gallery.js"

# better-sqlite3 compiles from source; use the local Node headers so nothing is downloaded.
if [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

log() { printf '\033[1m[notebook-gallery]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

require_tools() {
  local missing=()
  for tool in node npm python3 git; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  local node_min
  # One minimum for npm (engines), this check and the docs: package.json's engines.node, ">=20".
  node_min="$(sed -n 's/^ *"node": *">=\([0-9]*\)".*/\1/p' "$ROOT/package.json" | head -n 1)"
  [ ${#missing[@]} -eq 0 ] || die "please install: ${missing[*]} (Node $node_min+, Python 3.9+, git)"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge "$node_min" ] || die "Node $node_min or newer is needed (found $(node --version))"
}

ensure_node_modules() {
  local stamp="$STAMPS/node-modules-checked"
  local install=false
  if [ ! -f "$ROOT/node_modules/.package-lock.json" ]; then
    install=true
  elif [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
    # A clone or git worktree gives package-lock.json a new mtime without changing what it locks:
    # ask npm whether node_modules still matches before npm ci wipes and reinstalls it.
    (cd "$ROOT" && npm ls --all >/dev/null 2>&1) || install=true
  fi
  if [ "$install" = true ]; then
    log "installing npm packages (better-sqlite3 compiles from source: about a minute)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  mkdir -p "$STAMPS"
  touch "$stamp"
}

ensure_venv() {
  local stamp="$VENV/.requirements-installed"
  if [ ! -x "$VENV/bin/jupyter" ] || [ ! -f "$stamp" ] || [ "$ROOT/scripts/requirements.txt" -nt "$stamp" ]; then
    log "creating the Python environment in .venv (JupyterLab, ipykernel, hatchling)"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/requirements.txt"
    touch "$stamp"
  fi
}

# Newest source file that the build reads; the build reruns when one is newer than the last build.
sources_changed_since() {
  local stamp="$1"
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$ROOT/packages" \( -name node_modules -o -name lib -o -path '*/jupyterlab_notebook_gallery/labextension' \) -prune -o \
    -newer "$stamp" -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.json' -o -name '*.css' -o -name '*.svg' -o -name '*.js' \) -print -quit)" ]
}

ensure_build() {
  local stamp="$STAMPS/build"
  if sources_changed_since "$stamp" || [ ! -f "$LABEXT_OUT/package.json" ] || [ ! -f "$ROOT/packages/server/lib/cli.js" ]; then
    log "building core, server and the JupyterLab extension"
    (cd "$ROOT" && npm run build --silent) || die "the build failed; see the errors above"
    touch "$stamp"
  fi
}

# The extension's wheel in dist/, replacing an older one (tests and install commands expect exactly one).
build_wheel() {
  rm -f "$DIST_DIR"/jupyterlab_notebook_gallery-*.whl
  "$VENV/bin/pip" wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w "$DIST_DIR" "$ROOT"
}

# The npm tarballs of the server and of core, the one package of ours it needs, in dist/ (for `npm install -g`).
pack_server() {
  mkdir -p "$DIST_DIR"
  rm -f "$DIST_DIR"/notebook-gallery-core-*.tgz "$DIST_DIR"/notebook-gallery-server-*.tgz
  (cd "$ROOT" && npm pack --silent --workspace packages/core --workspace packages/server --pack-destination "$DIST_DIR" >/dev/null)
}

ensure_wheel_installed() {
  local stamp="$VENV/.gallery-wheel-installed"
  if [ ! -f "$stamp" ] || [ -n "$(find "$LABEXT_OUT" "$ROOT/pyproject.toml" "$ROOT/install.json" -newer "$stamp" -print -quit)" ]; then
    log "packaging the extension as a wheel and installing it into .venv"
    build_wheel
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$DIST_DIR"/jupyterlab_notebook_gallery-*.whl
    touch "$stamp"
  fi
  "$VENV/bin/jupyter" labextension list 2>&1 | grep -q 'jupyterlab-notebook-gallery.*enabled.*OK' ||
    die "the extension is installed but 'jupyter labextension list' does not show it OK"
}

# A second venv with the oldest supported JupyterLab and the same wheel, for the browser smoke test.
ensure_oldest_venv() {
  local requirements="$ROOT/scripts/requirements-oldest.txt"
  local stamp="$OLDEST_VENV/.requirements-installed"
  if [ ! -x "$OLDEST_VENV/bin/jupyter" ] || [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ]; then
    log "creating .venv-oldest with the oldest supported JupyterLab ($(grep -o 'jupyterlab==[^ ]*' "$requirements"))"
    [ -x "$OLDEST_VENV/bin/python" ] || python3 -m venv "$OLDEST_VENV"
    "$OLDEST_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
  local wheel_stamp="$OLDEST_VENV/.gallery-wheel-installed"
  if [ ! -f "$wheel_stamp" ] || [ -n "$(find "$DIST_DIR" -name '*.whl' -newer "$wheel_stamp" -print -quit)" ]; then
    log "installing the wheel into .venv-oldest"
    "$OLDEST_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$DIST_DIR"/jupyterlab_notebook_gallery-*.whl
    touch "$wheel_stamp"
  fi
  "$OLDEST_VENV/bin/jupyter" labextension list 2>&1 | grep -q 'jupyterlab-notebook-gallery.*enabled.*OK' ||
    die "the extension is installed in .venv-oldest but 'jupyter labextension list' does not show it OK"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's Chromium for the browser tests"
    command -v apt-get >/dev/null 2>&1 || die "install Chromium at /usr/bin/chromium (apt-get is not available here)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
}

ensure_all() {
  require_tools
  ensure_node_modules
  ensure_venv
  ensure_build
  ensure_wheel_installed
}
