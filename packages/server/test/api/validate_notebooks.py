"""Check every .ipynb in a directory with nbformat, the reference validator; print the failures as JSON.

Usage: python validate_notebooks.py DIRECTORY
Prints a JSON list of {"file": name, "error": why}, empty when every notebook is valid. A warning from
nbformat (a missing or duplicate cell id, which it would repair) counts as a failure, because Jupyter
shows it when it opens the file.
"""

import json
import sys
import warnings
from pathlib import Path

import nbformat

MAX_MESSAGE = 400


def problem(path: Path) -> str | None:
    """Why nbformat does not accept the file as it is, or None."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT)
            nbformat.validate(notebook)
        except Exception as error:  # noqa: BLE001 - any failure to read or validate is the answer
            return f"{type(error).__name__}: {error}"[:MAX_MESSAGE]
    if caught:
        return "; ".join(f"{warning.category.__name__}: {warning.message}" for warning in caught)[:MAX_MESSAGE]
    return None


def main() -> None:
    failures = []
    for path in sorted(Path(sys.argv[1]).glob("*.ipynb")):
        why = problem(path)
        if why is not None:
            failures.append({"file": path.name, "error": why})
    json.dump(failures, sys.stdout)


if __name__ == "__main__":
    main()
