"""Write a copy of a wheel under an older version, with extra files, as a stand-in for a previous release.

    python3 olderWheel.py WHEEL OUT_DIR VERSION [PATH_IN_WHEEL=TEXT ...]

The upgrade test (ui-tests/tests/hubWheel.test.ts) installs this copy, then the real wheel over it. The
extra files are what an older release shipped and the new one does not: pip must remove them (it uninstalls
the older version by its RECORD), or the new server would load them.
"""

import base64
import hashlib
import os
import sys
import zipfile


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def main() -> None:
    wheel, out_dir, version, *extras = sys.argv[1:]
    name, old_version, rest = os.path.basename(wheel).split("-", 2)
    old_info, new_info = f"{name}-{old_version}.dist-info/", f"{name}-{version}.dist-info/"
    added = dict(extra.split("=", 1) for extra in extras)
    out = os.path.join(out_dir, f"{name}-{version}-{rest}")
    records = []
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        entries = [(info, source.read(info)) for info in source.infolist()]
        entries += [(zipfile.ZipInfo(path), text.encode()) for path, text in added.items()]
        for info, data in entries:
            path = info.filename.replace(old_info, new_info, 1)
            if path == new_info + "RECORD":
                continue
            if path == new_info + "METADATA":
                data = data.replace(f"\nVersion: {old_version}\n".encode(), f"\nVersion: {version}\n".encode(), 1)
            renamed = zipfile.ZipInfo(path, info.date_time)
            renamed.external_attr = info.external_attr or (0o644 << 16)
            target.writestr(renamed, data, zipfile.ZIP_DEFLATED)
            records.append(f"{path},{record_hash(data)},{len(data)}")
        records.append(f"{new_info}RECORD,,")
        target.writestr(new_info + "RECORD", "\n".join(records) + "\n", zipfile.ZIP_DEFLATED)
    print(out)


if __name__ == "__main__":
    main()
