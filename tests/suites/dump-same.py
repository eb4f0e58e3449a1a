#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# dump-same.py REF GOT [KEY...]: do two vtd-dump --json documents describe the
# same unit?  The tables (devices, domains) must be equal, and so must the
# unit members named by KEY (rtaddr, irta, invalidation_queue.tail, ...: a
# dotted KEY names a member of a member).  Device names are left out:
# only a live run has them (libpci).  Prints one line: what agrees, or the
# first difference with its JSON path; exit 0 or 1.
import json
import sys


def first_diff(a, b, path):
    if type(a) is not type(b):
        return path, a, b
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}/{k}", a.get(k, "(absent)"), b.get(k, "(absent)")
            d = first_diff(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, f"{path}/{i}")
            if d:
                return d
        if len(a) != len(b):
            return f"{path} (length)", len(a), len(b)
        return None
    return None if a == b else (path, a, b)


def member(obj, dotted):
    for k in dotted.split("."):
        obj = obj.get(k) if isinstance(obj, dict) else None
    return obj


def unnamed(devices):
    return [{k: v for k, v in d.items() if k != "name"} for d in devices or []]


def main():
    with open(sys.argv[1]) as f:
        ref = json.load(f)["units"]
    with open(sys.argv[2]) as f:
        got = json.load(f)["units"]
    keys = sys.argv[3:]
    if len(ref) != len(got):
        print(f"{len(got)} units, not {len(ref)}")
        return 1
    for i, (r, g) in enumerate(zip(ref, got)):
        for k in keys:
            rv, gv = member(r, k), member(g, k)
            if rv is None or rv != gv:
                print(f"/units/{i}/{k.replace('.', '/')}: {json.dumps(gv)[:120]} where the "
                      f"reference has {json.dumps(rv)[:120]}")
                return 1
        r["devices"], g["devices"] = unnamed(r.get("devices")), unnamed(g.get("devices"))
        for k in ("devices", "domains"):
            d = first_diff(r.get(k), g.get(k), f"/units/{i}/{k}")
            if d:
                print(f"{d[0]}: {json.dumps(d[2])[:120]} where the reference has "
                      f"{json.dumps(d[1])[:120]}")
                return 1
    ndev = sum(len(u.get("devices", [])) for u in ref)
    ndom = sum(len(u.get("domains", [])) for u in ref)
    print(f"{len(ref)} unit(s), {ndev} devices, {ndom} domains alike"
          + (f"; {', '.join(keys)} equal" if keys else ""))
    return 0


sys.exit(main())
