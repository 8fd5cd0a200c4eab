"""The house rules of the layout, read from the source with `ast` (nothing is imported):

- every first-party import goes through the one installed name, `policywatch.`;
- no import cycle between modules, function-level imports included;
- data flows one way: a module imports only its own layer or earlier ones (LAYERS);
- no function is longer than 40 lines outside migrations, but for the known exceptions;
- every package of the tree is installed (pyproject.toml lists it).
"""

# relayout: skip (module names below are layout data in the new layout, not imports)
from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOPS = ("monitor", "storage", "alerts")
PREFIX = "policywatch."
MAX_FUNCTION_LINES = 40
EXCEPTIONS_FILE = REPO / "tests" / "function_length_exceptions.txt"

# Earliest first. A module may import its own layer and the layers before it, never a later
# one. Each entry names modules or packages (a package covers everything below it); the most
# specific entry wins.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # report.paths says where a change's page lives in the published report (alerts link to
    # it); it imports nothing.
    ("model and helpers", ("monitor", "monitor.model", "monitor.errors", "monitor.timeutil",
                           "monitor.textnorm", "monitor.report.paths")),
    # The address guard is policy, not fetching: the configuration checks URLs with it, the
    # fetcher and the notifiers enforce it. It imports only errors.
    ("configuration", ("monitor.watchlist", "monitor.channels", "monitor.selectors",
                       "monitor.fetch.netguard")),
    ("fetch", ("monitor.fetch",)),
    ("extract", ("monitor.extract",)),
    ("diff", ("monitor.diff",)),
    ("classify", ("monitor.classify",)),
    ("analysis", ("monitor.analysis",)),
    # Storage holds every query; it knows the model and the configuration, no stage.
    ("storage", ("storage",)),
    ("history", ("monitor.context", "monitor.history")),
    ("alerts", ("alerts",)),
    # The static report reads storage and renders diffs; the service may rebuild it.
    ("report", ("monitor.report",)),
    ("pipeline", ("monitor.pipeline",)),
    ("service", ("monitor.service",)),
    ("cli", ("monitor.cli",)),
]


def module_files() -> Iterator[tuple[str, Path]]:
    for top in TOPS:
        for path in sorted((REPO / top).rglob("*.py")):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


@cache
def modules() -> dict[str, Path]:
    return dict(module_files())


def is_package(module: str) -> bool:
    return modules()[module].name == "__init__.py"


def layer_of(module: str) -> int:
    best, depth = -1, -1
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and name.count(".") > depth:
                best, depth = index, name.count(".")
    return best


def resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module if is_package(module) else module.rpartition(".")[0]
    base = package.split(".")
    if node.level > 1:
        base = base[: len(base) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def first_party(name: str) -> str | None:
    """policywatch.monitor.x -> monitor.x; anything else -> None."""
    return name[len(PREFIX):] if name.startswith(PREFIX) else None


def imports_of(module: str) -> Iterator[tuple[int, str, str]]:
    """(line, imported module of ours, as written) for every import in the module."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, alias.name
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, node)
            if node.level:
                target = PREFIX + target
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                name = sub if first_party(sub) in modules() else target
                yield node.lineno, name, ast.unparse(node)


@cache
def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module in modules():
        edges[module] = {own for _, name, _ in imports_of(module)
                         if (own := first_party(name)) in modules() and own != module}
    return edges


def test_every_module_has_a_layer() -> None:
    lost = [module for module in modules() if layer_of(module) < 0]
    assert not lost, f"add these modules to LAYERS in {__file__}: {lost}"


def test_first_party_imports_use_the_policywatch_name() -> None:
    bare = [f"{modules()[module].relative_to(REPO)}:{line}: {text}"
            for module in modules() for line, name, text in imports_of(module)
            if name.split(".")[0] in TOPS]
    assert not bare, "import these as policywatch.<module> (README, How it works):\n" \
        + "\n".join(bare)


def test_no_module_imports_a_later_layer() -> None:
    wrong = []
    for module, targets in graph().items():
        for target in sorted(targets):
            if layer_of(target) > layer_of(module):
                wrong.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
                             f"({LAYERS[layer_of(target)][0]})")
    assert not wrong, "\n".join(wrong)


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_find_cycle_sees_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def long_functions() -> dict[str, int]:
    found: dict[str, int] = {}
    for module, path in modules().items():
        if module == "storage.migrations":
            continue  # a migration is one schema step, written out whole
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    found[f"{path.relative_to(REPO).as_posix()}::{node.name}"] = lines
    return found


def known_exceptions() -> set[str]:
    entries = set()
    for line in EXCEPTIONS_FILE.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.add(entry)
    return entries


def test_no_function_over_40_lines() -> None:
    new = {name: lines for name, lines in long_functions().items()
           if name not in known_exceptions()}
    assert not new, (f"functions over {MAX_FUNCTION_LINES} lines (split them, or list them in "
                     f"{EXCEPTIONS_FILE.name} with who owns them and why): {new}")


def test_known_exceptions_are_still_long() -> None:
    stale = known_exceptions() - set(long_functions())
    assert not stale, f"now short enough: remove from {EXCEPTIONS_FILE.name}: {sorted(stale)}"


def test_every_package_is_installed() -> None:
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    packages = {PREFIX + module for module in modules() if is_package(module)}
    assert packages <= listed, (f"add to [tool.setuptools] packages in pyproject.toml: "
                                f"{sorted(packages - listed)}")
    assert setuptools["package-dir"] == {PREFIX + top: top for top in TOPS}


@pytest.mark.parametrize("module", ["monitor.fetch.http", "monitor.pipeline", "alerts.routing"])
def test_layer_examples(module: str) -> None:
    """The most specific LAYERS entry wins: fetch.netguard is configuration, fetch.http is
    fetch; the pipeline routes alerts, so it comes after them."""
    names = [name for name, _ in LAYERS]
    expected = {"monitor.fetch.http": "fetch", "monitor.pipeline": "pipeline",
                "alerts.routing": "alerts"}[module]
    assert names[layer_of(module)] == expected
    assert layer_of("monitor.fetch.netguard") < layer_of("monitor.fetch.http")


def test_readme_shows_the_real_check() -> None:
    """How it works shows check() as it is, so the one-screen pipeline cannot drift."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```python\ndef check(", 1)[1].split("```", 1)[0]
    source = (REPO / "monitor" / "pipeline.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    check = next(node for node in tree.body
                 if isinstance(node, ast.FunctionDef) and node.name == "check")
    lines = source.splitlines(keepends=True)[check.lineno - 1:check.end_lineno]
    assert "def check(" + shown == "".join(lines)
    assert len(lines) <= MAX_FUNCTION_LINES
