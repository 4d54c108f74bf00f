"""JupyterLab extension of Notebook Gallery: save notebooks to a shared gallery and open copies."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The wheel's version comes from the extension's package.json, so there is one place to bump it.
    __version__ = version("jupyterlab-notebook-gallery")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0+unknown"


def _jupyter_labextension_paths():
    """Tell JupyterLab where the prebuilt extension lives inside this package."""
    return [{"src": "labextension", "dest": "jupyterlab-notebook-gallery"}]
