"""Jupyter kernels for a batch: started warm (libraries imported), recycled between briefs, stopped at once.

Kernels run in a private folder the build creates in the system's temporary folder (mode 0700,
removed when the batch ends): their working directory, sockets, connection files and IPython
profile live there, never in the output folder (which others may write to: a kernel imports modules
from its working directory) and never in the user's home.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import tempfile
import threading
from pathlib import Path

from analysis.build.exitcodes import EXIT_KERNEL, BriefFailure

#: Run once in every new kernel: import the libraries and load what the first brief would load lazily
#: (the dataset, plotly's validators for each trace type), so no brief pays for it.
WARM_CODE = "import analysis.dataset, analysis.metrics, analysis.present\nanalysis.present.charts.base.warm_up()"


_START_LOCK = threading.Lock()


_SOCKETS = {"n": 0}


PRIVATE_PREFIX = "brief-k-"


def private_folder() -> Path:
    """A new folder for a batch's kernels in the system's temporary folder, named after this process:
    'work' (their working directory) and 'ipython' (their profile) inside, sockets and connection
    files beside them."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))
    (folder / "work").mkdir()
    (folder / "ipython").mkdir()
    return folder


def clean_stale_private_folders() -> list[str]:
    """Remove the private folders of builds that were killed (SIGKILL leaves no chance to clean up):
    only folders of this account, laid out by `private_folder`, whose process no longer exists."""
    removed = []
    with os.scandir(tempfile.gettempdir()) as it:
        entries = [e for e in it if e.name.startswith(PRIVATE_PREFIX)]
    for e in entries:
        pid = e.name[len(PRIVATE_PREFIX) :].split("-", 1)[0]
        try:
            if not pid.isdigit() or not e.is_dir(follow_symlinks=False) or e.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            if not os.path.isdir(os.path.join(e.path, "work")):
                continue
            os.kill(int(pid), 0)
            continue  # the build that made it is still running
        except ProcessLookupError:
            shutil.rmtree(e.path, ignore_errors=True)
            removed.append(e.name)
        except OSError:
            continue
    return removed


def start_kernel(env: dict, cwd: Path, timeout: float = 60, socket_dir: Path | None = None):
    """A started, warmed-up kernel (libraries imported) with its own connection file.

    An *async* kernel manager, as nbclient expects: with a blocking one, nbclient's cell timeouts
    never fire because its event loop is blocked on the kernel's sockets.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_path
    from jupyter_core.utils import run_sync

    with _START_LOCK:
        _SOCKETS["n"] += 1
        n = _SOCKETS["n"]
    socket_dir = socket_dir or cwd
    # IPC transport: no TCP ports to race for (papermill #511), nothing listening on the network.
    # The kernel spec is looked up in Jupyter's own folders only: the default search also asks IPython
    # for its folder, which creates ~/.ipython on the way.
    specs = KernelSpecManager(kernel_dirs=jupyter_path("kernels"))
    km = AsyncKernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=str(socket_dir / f"k{n}"),
        connection_file=str(socket_dir / f"k{n}.json"),
        kernel_spec_manager=specs,
    )
    try:
        with _START_LOCK:
            # An in-memory IPython history: nothing written to the profile while a brief runs.
            run_sync(km.start_kernel)(cwd=str(cwd), env=env, extra_arguments=["--HistoryManager.hist_file=:memory:"])
        kc = km.blocking_client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
            reply = kc.execute_interactive(WARM_CODE, store_history=False, silent=True, timeout=timeout)
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"warm-up failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        finally:
            kc.stop_channels()
    except Exception as exc:
        stop_kernel(km)
        raise BriefFailure(f"the kernel could not start: {exc}", EXIT_KERNEL) from exc
    return km


def stop_kernel(km) -> None:
    """Shut a kernel down at once (safe from any thread; never raises)."""
    from jupyter_core.utils import run_sync

    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)


#: Briefs one kernel runs before it is replaced (bounds any slow growth of a long-lived process).
MAX_USES = 200


class KernelPool:
    """Warm kernels for a batch: started ahead of need and recycled between briefs.

    A kernel is started in the background and warmed up (WARM_CODE). After a brief succeeds its
    kernel goes back to the pool as it is: the next brief's first cell clears the user namespace and
    resets the package's per-brief state (execute.prologue_cell), while the package's modules and
    caches stay loaded. A kernel runs up to MAX_USES briefs; after a failure it is discarded. A test
    checks that pooled and fresh kernels give byte-identical HTML.
    """

    def __init__(self, size: int, env: dict, total: int, enabled: bool = True):
        # Unix socket paths are limited to ~100 bytes: keep the kernels' sockets in a short private folder.
        self.socket_dir = private_folder()
        self.cwd = self.socket_dir / "work"
        self.env = {**env, "IPYTHONDIR": str(self.socket_dir / "ipython")}
        self.enabled = enabled
        self.size = size
        self.busy: set = set()  # kernels handed to a brief and not yet returned
        self.ready: queue.Queue = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.closed = False
        self.lock = threading.Lock()
        self.remaining = total  # briefs that have not yet been handed a kernel (waiting ones included)
        self.live = 0  # kernels started or starting, not yet retired
        self.uses: dict[int, int] = {}
        if enabled:
            for _ in range(min(size, total)):
                self._spawn()

    def _spawn(self) -> None:
        with self.lock:
            self.live += 1

        def run():
            try:
                km = start_kernel(self.env, self.cwd, socket_dir=self.socket_dir)
            except BriefFailure as exc:
                self.ready.put(exc)
                return
            except BaseException as exc:  # noqa: BLE001 - whoever waits for a kernel must hear of it
                self.ready.put(BriefFailure(f"the kernel could not start: {exc}", EXIT_KERNEL))
                return
            if self.closed:
                stop_kernel(km)
            else:
                self.ready.put(km)

        t = threading.Thread(target=run, daemon=True)
        t.start()
        self.threads.append(t)

    def get(self):
        """A warm kernel for the next brief."""
        if self.closed:
            raise BriefFailure("the build was stopped before this brief started", EXIT_KERNEL)
        if not self.enabled:
            with self.lock:
                self.remaining -= 1
            km = start_kernel(self.env, self.cwd, socket_dir=self.socket_dir)
            return self._hand_out(km)
        try:
            item = self.ready.get(timeout=180)
        except queue.Empty:
            with self.lock:
                self.remaining -= 1
            raise BriefFailure("no kernel became ready within 180 s", EXIT_KERNEL) from None
        # Counted only once a kernel (or its failure) arrives: a brief still waiting needs one.
        with self.lock:
            self.remaining -= 1
        if isinstance(item, BaseException):
            self._retired()
            raise item
        return self._hand_out(item)

    def _hand_out(self, km):
        with self.lock:
            stopped = self.closed
            if not stopped:
                self.busy.add(km)
        if stopped:
            stop_kernel(km)
            raise BriefFailure("the build was stopped before this brief started", EXIT_KERNEL)
        return km

    def _retired(self) -> None:
        """A kernel left the pool: start another if briefs are still waiting for one."""
        with self.lock:
            self.live -= 1
            need = self.remaining > self.live and not self.closed
        if need:
            self._spawn()

    def release(self, km, ok: bool) -> None:
        """Return a kernel after a brief: reset and reuse it, or stop it."""
        with self.lock:
            self.busy.discard(km)
        if not self.enabled:
            stop_kernel(km)
            return
        uses = self.uses.get(id(km), 0) + 1
        self.uses[id(km)] = uses
        with self.lock:
            wanted = self.remaining > 0 and not self.closed
        if ok and wanted and uses < MAX_USES:
            self.ready.put(km)
            return
        stop_kernel(km)
        self._retired()

    def interrupt(self) -> None:
        """Stop every kernel now, busy or ready, and start no more (the build was stopped by a signal).
        Briefs running on them fail at once; briefs waiting for a kernel are told to give up."""
        with self.lock:
            self.closed = True
            busy = list(self.busy)
        for km in busy:
            stop_kernel(km)
        for _ in range(self.size + 1):
            self.ready.put(BriefFailure("the build was stopped before this brief started", EXIT_KERNEL))

    def close(self) -> None:
        self.closed = True
        for t in self.threads:
            t.join(timeout=90)
        while not self.ready.empty():
            item = self.ready.get()
            if not isinstance(item, BaseException):
                stop_kernel(item)
        with self.lock:
            busy = list(self.busy)
        for km in busy:
            stop_kernel(km)
        shutil.rmtree(self.socket_dir, ignore_errors=True)
