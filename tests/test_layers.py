"""The layers: models below bot, bot below handlers, no import cycles; routers fresh per app.

Imports are read from the source (function-level ones too), so a cycle hidden inside a function
counts. The one module of bot/ allowed to import handlers is the assembly, bot/app.py.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from handlers import get_routers

PACKAGES = ("bot", "handlers", "models")
ASSEMBLY = "bot.app"  # puts the handlers' routers into the Dispatcher


def our_modules() -> list[str]:
    names = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        names.extend(
            info.name
            for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}.")
        )
    return sorted(names)


MODULES = our_modules()


def source_of(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin)


def imports_of(name: str) -> set[str]:
    """The modules of ours that `name` imports anywhere in its source."""
    path = source_of(name)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: counted from this module's package
                parts = name.split(".")[: len(name.split(".")) - node.level + is_package]
                base = ".".join([*parts, base] if base else parts)
            # `from a import b` imports the module a.b when there is one, else a name from a.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            # `import a.b.c` runs a.b.c: the deepest module of ours named
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def layer(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("name", MODULES)
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_the_walk_finds_the_layers() -> None:
    assert {"bot.app", "bot.scheduler", "handlers.start", "models.entities"} <= set(MODULES)


def test_bot_and_models_do_not_import_handlers() -> None:
    wrong = {
        (name, target)
        for name, targets in GRAPH.items()
        for target in targets
        if layer(name) in {"bot", "models"} and layer(target) == "handlers" and name != ASSEMBLY
    }
    assert not wrong


def test_models_import_neither_bot_nor_handlers() -> None:
    wrong = {
        (name, target)
        for name, targets in GRAPH.items()
        for target in targets
        if layer(name) == "models" and layer(target) in {"bot", "handlers"}
    }
    assert not wrong


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, as the path that closes it, or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(name: str) -> list[str] | None:
        path.append(name)
        on_path.add(name)
        for target in sorted(graph.get(name, ())):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done and (cycle := visit(target)):
                return cycle
        path.pop()
        on_path.discard(name)
        done.add(name)
        return None

    for name in sorted(graph):
        if name not in done and (cycle := visit(name)):
            return cycle
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycles() -> None:
    assert find_cycle(GRAPH) is None


async def test_each_dispatcher_gets_routers_of_its_own(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    first, second = get_routers(), get_routers()
    assert [router.name for router in first] == [router.name for router in second]
    assert not {id(router) for router in first} & {id(router) for router in second}

    one = create_dispatcher(settings, sessionmaker, clock=clock)
    two = create_dispatcher(settings, sessionmaker, clock=clock)
    mine = {id(router) for router in one.chain_tail} - {id(one)}
    theirs = {id(router) for router in two.chain_tail} - {id(two)}
    assert mine and theirs and not mine & theirs
    assert all(router.parent_router is one for router in one.sub_routers)
