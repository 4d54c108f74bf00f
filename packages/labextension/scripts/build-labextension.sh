#!/usr/bin/env bash
# Build the prebuilt extension against the installed JupyterLab's core metadata.
# That file lists the shared singletons, but its versions are this JupyterLab's exact ones; the
# "requiredVersion"s in package.json's jupyterlab.sharedPackages override them, so the built
# extension loads into every JupyterLab from the oldest one supported (see pyproject.toml).
# Without --core-package-file, jupyter-builder probes for @jupyterlab/core-meta, which this npm
# workspace does not install, and falls back to running jlpm (yarn) inside this package.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
core="$(python -c 'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging" / "package.json")')"
exec jupyter labextension build --core-package-file "$core" "$@" .
