"""The Notebook Gallery server, packaged with the Node it runs on (see launcher.py)."""
