#!/usr/bin/env python3
"""The library's layering, as docs/architecture.md draws it, checked on the sources:

1. every module of lib/ includes only the private headers of the modules it may use
   (ALLOWED below mirrors the table of docs/architecture.md), and never the
   umbrella internal.h (that is for white-box tests);
2. every private header compiles on its own (it includes what it needs), so a module
   that includes only its allowed headers cannot call past them without the compiler
   refusing (-Werror=implicit-function-declaration).

    test_layering.py SOURCE_ROOT CC [CC ARGS...]
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

# module -> the private headers it may include (its own included). Lower layers first.
BASE = {"core"}
ALLOWED = {
    "core": BASE,
    "dates": BASE | {"dates"},
    "params": BASE | {"dates", "params"},
    "pstore": BASE | {"dates", "params"},  # the value store, part of params
    "table": BASE | {"dates", "params", "table"},
    "result": BASE | {"params", "table", "result"},
    "tvm": BASE | {"dates", "tvm", "tvm_impl"},
    "energy": BASE | {"params", "energy"},
    "carbon": BASE | {"params", "carbon"},
}
# The tvm module is three files sharing tvm_impl.h, which no other module includes.
ALLOWED["tvm_root"] = ALLOWED["tvm"]
ALLOWED["tvm_flows"] = ALLOWED["tvm"]
ALLOWED["tvm_impl"] = ALLOWED["tvm"]
ALLOWED["loan"] = BASE | {"dates", "params", "table", "result", "tvm", "loan"}
ALLOWED["sweep"] = ALLOWED["loan"] | {"sweep"}
ALLOWED["reserves"] = BASE | {"reserves"}
# The project module is four files sharing project_model.h, which no other module includes.
ALLOWED["fx"] = ALLOWED["loan"] | {"fx"}
ALLOWED["project"] = ALLOWED["loan"] | {"energy", "carbon", "reserves", "sweep", "fx", "project",
                                         "project_model"}
ALLOWED["waterfall"] = ALLOWED["project"]
ALLOWED["sizing"] = ALLOWED["project"]
ALLOWED["operations"] = ALLOWED["project"]
ALLOWED["project_model"] = ALLOWED["project"]
ALLOWED["fund"] = ALLOWED["loan"] | {"fund"}
ALLOWED["impact"] = (ALLOWED["project"] - {"project_model"}) | {"impact"}
ALLOWED["portfolio"] = (ALLOWED["project"] - {"project_model"}) | {"fund", "impact", "portfolio"}
# The JSON module: the scanner (text to a checked tree, readers of the tree into
# registry stores) knows no handle; the loaders build them.
ALLOWED["json_scan"] = BASE | {"dates", "params", "json"}
ALLOWED["json"] = ALLOWED["portfolio"] | {"json"}
ALLOWED["solve"] = ALLOWED["portfolio"] | {"solve"}  # goal seek: no header, nothing calls it
# Risk: the mathematics (draws, statistics) below everything; the experiment and its run on portfolio;
# risk_run.h (the plan and the result of a run) only for the three files of a run.
ALLOWED["risk_internal"] = BASE | {"risk_internal"}
ALLOWED["risk_draw"] = ALLOWED["risk_internal"]
ALLOWED["risk_stats"] = ALLOWED["risk_internal"]
ALLOWED["risk"] = ALLOWED["portfolio"] | {"risk_internal", "risk_plan"}
ALLOWED["risk_inputs"] = ALLOWED["risk"]  # the experiment read back: its structures only
ALLOWED["risk_run"] = ALLOWED["portfolio"] | {"risk_internal", "risk_plan", "risk_run"}
ALLOWED["risk_plan"] = ALLOWED["risk_run"]
ALLOWED["risk_result"] = ALLOWED["risk_run"]
ALLOWED["write"] = BASE | {"dates", "table", "result", "write"}
ALLOWED["write_json"] = ALLOWED["write"]
ALLOWED["risk_write"] = ALLOWED["write"]  # a risk result through its public accessors
ALLOWED["json_risk"] = ALLOWED["json"] | {"risk_internal", "risk_plan"}
ALLOWED["dtoa"] = BASE  # part of core: the number formatter
ALLOWED["errors"] = BASE  # the twins use the public API only

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)


def includes(path):
    with open(path, encoding="utf-8") as f:
        return set(INCLUDE.findall(f.read())) - {"greenfin"}


def main():
    root, cc = sys.argv[1], sys.argv[2:]
    lib = os.path.join(root, "lib")
    problems = []
    for path in sorted(glob.glob(os.path.join(lib, "*.[ch]"))):
        module = os.path.splitext(os.path.basename(path))[0]
        if module == "internal":
            continue
        allowed = ALLOWED.get(module)
        if allowed is None:
            continue  # a module not in the table yet (a new one): docs/architecture.md must add it
        for inc in sorted(includes(path)):
            if inc == "internal":
                problems.append(f"lib/{os.path.basename(path)} includes internal.h: include the headers of "
                                f"the modules it uses")
            elif inc not in allowed:
                problems.append(f"lib/{os.path.basename(path)} includes {inc}.h, which {module} may not use "
                                f"(docs/architecture.md)")
    # Every module in the table has its sources, and the table names no header that is missing.
    for module in ALLOWED:
        if not os.path.exists(os.path.join(lib, module + ".c")) and not os.path.exists(os.path.join(lib, module + ".h")):
            problems.append(f"lib/{module}.c is missing: update ALLOWED and docs/architecture.md")
    with tempfile.TemporaryDirectory() as tmp:
        for header in sorted(glob.glob(os.path.join(lib, "*.h"))):
            src = os.path.join(tmp, "alone.c")
            with open(src, "w") as f:
                f.write('#include "%s"\n' % os.path.basename(header))
            p = subprocess.run(cc + ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-fsyntax-only", "-Wall",
                                     "-Werror", "-I", os.path.join(root, "include"), "-I", lib, src],
                               capture_output=True, text=True)
            if p.returncode != 0:
                problems.append(f"lib/{os.path.basename(header)} does not compile alone:\n{p.stderr}")
    for p in problems:
        print(p)
    print(f"{len(problems)} layering problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
