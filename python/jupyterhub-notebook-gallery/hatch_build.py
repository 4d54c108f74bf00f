"""Tags the server wheel for the platform its better-sqlite3 addon was compiled for.

The wheel holds no Python extension, but it holds a native Node addon, so it is not `any`: pip must
install it only where the addon loads. scripts/lib.sh works out the tag from the addon's glibc and
libstdc++ symbol versions (objdump -T) and writes it to server/wheel-tag before it builds the wheel.
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        tag_file = Path(self.root) / "jupyterhub_notebook_gallery" / "server" / "wheel-tag"
        if not tag_file.is_file():
            raise RuntimeError(
                f"{tag_file} is missing: build this wheel with scripts/build-dist from a clone, "
                "which stages the server and its addon first"
            )
        build_data["pure_python"] = False
        build_data["tag"] = tag_file.read_text().strip()
