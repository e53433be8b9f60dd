"""The same briefs built by Ploomber: one NotebookRunner task per brief (the same notebook, the same
parameters, HTML product through nbconvert), run by Ploomber's parallel executor.

Run by benchmarks/bench_build.py inside its own virtual environment (build/bench-peers, the
package's pinned requirements plus ploomber), so the package's own environment stays as users get
it. Usage: python benchmarks/ploomber_dag.py JOBS.json OUT_DIR WORKERS
JOBS.json is a list of {"stem", "notebook", "values", "data_dir"}; prints the wall time as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(jobs_file: str, out_dir: str, workers: str) -> None:
    from ploomber import DAG
    from ploomber.executors import Parallel
    from ploomber.products import File
    from ploomber.tasks import NotebookRunner

    jobs = json.loads(Path(jobs_file).read_text(encoding="utf-8"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    os.environ["ANALYSIS_DATA_DIR"] = jobs[0]["data_dir"]
    dag = DAG(executor=Parallel(processes=int(workers)))
    for j in jobs:
        NotebookRunner(
            Path(j["notebook"]),
            File(out / f"{j['stem']}.html"),
            dag,
            name=j["stem"],
            params=j["values"],
            kernelspec_name="python3",
            # Our notebooks declare their own parameters; Ploomber's product/upstream are not among them.
            static_analysis="disable",
            nbconvert_export_kwargs={"exclude_input": True},
            local_execution=True,
        )
    t = time.perf_counter()
    dag.build(force=True)
    seconds = time.perf_counter() - t
    ok = all((out / f"{j['stem']}.html").is_file() for j in jobs)
    print(json.dumps({"seconds": seconds, "tasks": len(jobs), "ok": ok}))


if __name__ == "__main__":
    main(*sys.argv[1:])
