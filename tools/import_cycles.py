#!/usr/bin/env python3
"""Fails when source files of a crate import each other in a loop.

Usage: python3 tools/import_cycles.py [CRATE_DIR ...]   (default: every workspace member)

A file "imports" another when it names an item of the other file's module: a `use` path or a
qualified path in code (`crate::a::b::f()`, `super::x::Y`). `mod` declarations are not imports
(a parent declares its children), and re-exports are followed (`crate::jujuc::BagData`, where
`jujuc/mod.rs` says `pub use world::*`, is an import of `jujuc/world.rs`). A loop between files
(an import graph component of more than one file) is reported with the paths that close it.

Hand-written because the crate that does this (`cargo-modules`) builds rust-analyzer's
libraries, several minutes on a 2-core CI machine; this needs only the text of the files.
"""

import re
import sys
import tomllib
from pathlib import Path

ITEM = re.compile(
    r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+|async\s+|const\s+|extern\s+\"[^\"]*\"\s+)*"
    r"(?:fn|struct|enum|trait|type|const|static|union|mod|macro_rules!)\s+(r#)?([A-Za-z_][A-Za-z0-9_]*)"
)
MOD_DECL = re.compile(r"^\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+([A-Za-z_][A-Za-z0-9_]*)\s*(;|\{)")
PATH = re.compile(r"\b((?:crate|super|self)(?:\s*::\s*(?:[A-Za-z_][A-Za-z0-9_]*|\{))+)")


def strip(text):
    """Removes comments, string and char literals (keeping line breaks)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    out.append("\n" if text[i] == "\n" else "")
                    i += 1
        elif c == "r" and re.match(r'r#*"', text[i:]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            end = text.find('"' + m.group(1), i + len(m.group(0)))
            end = n if end < 0 else end + 1 + len(m.group(1))
            out.append('""' + "\n" * text.count("\n", i, end))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:]):
            i += len(re.match(r"'(\\.[^']*|[^\\'])'", text[i:]).group(0))
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Crate:
    def __init__(self, src):
        self.src = src
        self.files = {}  # module path tuple -> file
        self.defs = {}  # file -> set of item names defined at its top level
        self.reexports = {}  # file -> list of (name or '*', absolute path tuple)
        root = src / "lib.rs" if (src / "lib.rs").exists() else src / "main.rs"
        self.roots = [p for p in [src / "lib.rs", src / "main.rs"] if p.exists()]
        for r in self.roots:
            self.load(r, ())
        for extra in sorted((src / "bin").glob("*.rs")) if (src / "bin").exists() else []:
            self.load(extra, ())
        _ = root

    def load(self, path, modpath):
        if modpath in self.files and self.files[modpath] != path:
            # lib.rs and main.rs are separate crates; keep main's modules under a prefix.
            modpath = ("<bin>",) + modpath
        self.files[modpath] = path
        text = strip(path.read_text())
        self.defs[path] = set()
        base = path.parent if path.name in ("mod.rs", "lib.rs", "main.rs") else path.parent / path.stem
        depth = 0
        for line in text.split("\n"):
            if depth == 0:
                m = ITEM.match(line)
                if m:
                    self.defs[path].add(m.group(2))
                m = MOD_DECL.match(line)
                if m and m.group(2) == ";":
                    name = m.group(1)
                    pathattr = None
                    for cand in [base / f"{name}.rs", base / name / "mod.rs"]:
                        if cand.exists():
                            pathattr = cand
                            break
                    if pathattr:
                        self.load(pathattr, modpath + (name,))
            depth += line.count("{") - line.count("}")

    def module_of(self, path):
        for k, v in self.files.items():
            if v == path:
                return k
        raise KeyError(path)

    def resolve(self, segs, seen=None):
        """The file holding the item `segs` (an absolute module path + item names)."""
        seen = seen or set()
        best = ()
        for i in range(len(segs), -1, -1):
            if tuple(segs[:i]) in self.files:
                best = tuple(segs[:i])
                break
        f = self.files[best]
        rest = segs[len(best):]
        if rest and rest[0] not in self.defs.get(f, ()) and (f, rest[0]) not in seen:
            seen.add((f, rest[0]))
            for name, target in self.reexports.get(f, []):
                if name == rest[0]:
                    return self.resolve(list(target) + list(rest[1:]), seen)
            for name, target in self.reexports.get(f, []):
                if name == "*":
                    g = self.resolve(list(target) + list(rest), seen)
                    if g != self.files.get(tuple(target), f) or rest[0] in self.defs.get(g, ()):
                        return g
        return f


def expand_use(body):
    """`a::{b, c::{d as e, f}}` -> [[a, b], [a, c, d], [a, c, f]] (a path may end in `*`)."""
    toks = re.findall(r"[A-Za-z_][A-Za-z0-9_]*|::|\{|\}|,|\*", body)
    pos = 0

    def tree(prefix):
        # One use-tree: `seg::seg::(name [as x] | * | { tree, ... })`.
        nonlocal pos
        path = list(prefix)
        while pos < len(toks):
            t = toks[pos]
            if t == "{":
                pos += 1
                out = []
                while pos < len(toks) and toks[pos] != "}":
                    if toks[pos] == ",":
                        pos += 1
                        continue
                    out.extend(tree(path))
                pos += 1
                return out
            if t in ("}", ","):
                break
            if t == "::":
                pos += 1
                continue
            if t == "as":
                pos += 2
                break
            path.append(t)
            pos += 1
        return [path]

    out = []
    while pos < len(toks):
        if toks[pos] == ",":
            pos += 1
            continue
        out.extend(tree([]))
    return out


def absolute(segs, here, children):
    """Absolute module path of a path written in module `here` (a tuple)."""
    segs = list(segs)
    if not segs:
        return None
    cur = list(here)
    if segs[0] == "crate":
        cur, segs = [], segs[1:]
    elif segs[0] == "self":
        segs = segs[1:]
    elif segs[0] == "super":
        while segs and segs[0] == "super":
            if not cur:
                return None
            cur.pop()
            segs = segs[1:]
    elif segs[0] in children:
        pass
    else:
        return None  # an external crate or a local name
    return cur + segs


def scan(crate):
    edges = {}
    # First pass: re-exports, so that resolving can follow them.
    per_file = {}
    for modpath, path in crate.files.items():
        text = strip(path.read_text())
        per_file[path] = (modpath, text)
    for path, (modpath, text) in per_file.items():
        children = {m[-1] for m in crate.files if m[:-1] == modpath and len(m) == len(modpath) + 1}
        for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
            for p in expand_use(m.group(1)):
                a = absolute(p, modpath, children)
                if a and len(a) >= 1:
                    name = p[-1]
                    crate.reexports.setdefault(path, []).append((name if name != "*" else "*", tuple(a[:-1]) if name == "*" else tuple(a)))
    for path, (modpath, text) in per_file.items():
        children = {m[-1] for m in crate.files if m[:-1] == modpath and len(m) == len(modpath) + 1}
        # Inline modules (`mod tests { ... }`) shift `super`/`self` by one level.
        stack, depth, out = [], 0, set()
        for line in text.split("\n"):
            m = MOD_DECL.match(line)
            inner = tuple(modpath) + tuple(name for name, _ in stack)
            uses = []
            um = re.match(r"^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);?", line)
            if um:
                uses.extend(expand_use(um.group(1)))
            else:
                for pm in PATH.finditer(line):
                    uses.append([s for s in re.split(r"\s*::\s*", pm.group(1)) if s and s != "{"])
            for p in uses:
                if p and p[-1] == "*":
                    p = p[:-1]
                if p and p[-1] == "self":
                    p = p[:-1]
                a = absolute(p, inner, children if not stack else set())
                if a is None:
                    continue
                # Paths inside an inline module that point back into this file are local.
                target = crate.resolve(list(a))
                if target != path:
                    out.add((target, "::".join(p)))
            if m and m.group(2) == "{":
                stack.append((m.group(1), depth))
            depth += line.count("{") - line.count("}")
            while stack and depth <= stack[-1][1]:
                stack.pop()
        edges[path] = out
    return edges


def sccs(nodes, edges):
    index, low, onstack, st, res, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        st.append(v)
        onstack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in onstack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = st.pop()
                onstack.discard(w)
                comp.append(w)
                if w == v:
                    break
            res.append(comp)

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            visit(v)
    return res


def main(argv):
    root = Path(__file__).resolve().parent.parent
    if argv:
        dirs = [Path(a).resolve() for a in argv]
    else:
        ws = tomllib.loads((root / "Cargo.toml").read_text())
        dirs = [root / m for m in ws["workspace"]["members"]]
    bad = 0
    for d in dirs:
        src = d / "src"
        if not src.exists():
            continue
        crate = Crate(src)
        edges = scan(crate)
        graph = {f: {t for t, _ in e} for f, e in edges.items()}
        for comp in sccs(list(graph), graph):
            if len(comp) < 2:
                continue
            bad += 1
            print(f"import cycle in {d.name}:")
            members = set(comp)
            for f in sorted(comp):
                for t, via in sorted(edges[f]):
                    if t in members:
                        print(f"  {f.relative_to(root)} -> {t.relative_to(root)}  ({via})")
    if bad:
        print(f"{bad} import cycle(s)")
        return 1
    print(f"no import cycles in {len(dirs)} crate(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
