"""How readable the package is, in numbers: module sizes, HTML in Python, import cycles.

    python benchmarks/house_metrics.py

Counts every module under ``backcourse/``: its lines, the string literals in it that hold
HTML tags, and the package-internal imports it makes (function-level ones included), from
which it finds the import cycles.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "backcourse"
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[\s>/]")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# The one allowed way up: Routine's convenience methods (plan, to_html, ...) import the
# planner and the exporters when called.
ALLOWED_UP = {("backcourse.model", "Routine"), ("backcourse.model.learner", "Routine")}


def _nodes(tree: ast.Module, name: str) -> list[ast.AST]:
    """Every node of the module, leaving out the classes whose imports may point up."""
    skip = {cls for mod, cls in ALLOWED_UP if mod == name}
    out: list[ast.AST] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.ClassDef) and node.name in skip:
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def internal_imports(path: Path, name: str) -> set[str]:
    """Package modules this one imports anywhere in its body (relative or absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _nodes(tree, name):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("backcourse"):
                if node.module:  # `from . import x` names submodules, not the package
                    found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("backcourse"))
    return found


def html_literals(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and TAG.search(node.value)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), i.e. the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main() -> None:
    files = sorted(p for p in PACKAGE.rglob("*.py"))
    names = {module_name(p): p for p in files}
    sizes = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in names.items()}
    # An edge to a module, not to a name inside it; a package's __init__ is its own node,
    # except that `from . import x` inside a package points at the submodule x.
    graph = {
        n: {t for t in internal_imports(p, n) if t in names and t != n} for n, p in names.items()
    }
    html = {n: html_literals(p) for n, p in names.items()}
    largest = max(sizes, key=sizes.__getitem__)
    big = sorted((s, n) for n, s in sizes.items() if s > 500)
    found = cycles(graph)
    print(f"modules: {len(sizes)}, lines: {sum(sizes.values())}")
    print(f"largest module: {largest} ({sizes[largest]} lines)")
    print(f"modules over 500 lines: {len(big)}  " + ", ".join(f"{n} {s}" for s, n in big[::-1]))
    print(
        f"HTML string literals in Python: {sum(html.values())}  ("
        + ", ".join(f"{n} {c}" for n, c in sorted(html.items(), key=lambda kv: -kv[1]) if c)
        + ")"
    )
    print(f"import cycles (function-level imports included): {len(found)}")
    for group in found:
        print("  " + " <-> ".join(group))


if __name__ == "__main__":
    main()
