"""JupyterLab extension of Notebook Gallery: save notebooks to a shared gallery and open copies."""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    """Tell JupyterLab where the prebuilt extension lives inside this package."""
    return [{"src": "labextension", "dest": "jupyterlab-notebook-gallery"}]
