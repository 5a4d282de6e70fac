"""Run every benchmark module of this package that has a `main()`."""

from __future__ import annotations

import importlib
import pkgutil

import benchmarks

for module_info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
    if module_info.name.startswith("_"):
        continue
    module = importlib.import_module(f"benchmarks.{module_info.name}")
    if hasattr(module, "main"):
        print(f"== {module_info.name}")
        module.main()
