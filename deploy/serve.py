"""Several `streamlit run` replicas on loopback ports with HAProxy in front, all stopped together.

One Streamlit process uses one core (its sessions live in its memory, under one GIL): the
dashboard uses more cores, or more machines, as replicas behind a proxy that keeps each
browser on one replica (sticky cookie) and upgrades the websocket. Every replica reads the
same database file (OBSERVATOIRE_DB), so an import made through one is served by all at their
next rerun. `make serve REPLICAS=2` runs `python -m deploy.serve --replicas 2 --port 8501`;
Ctrl-C or SIGTERM stops the proxy and every replica.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg.template"
HOST = "127.0.0.1"
HEALTH = "/_stcore/health"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    """True when nothing listens on the loopback port (connections closing on it do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        return True


def healthy(url: str) -> bool:
    """True when Streamlit (or the proxy in front of it) answers 200 on its health check."""
    try:
        with urllib.request.urlopen(url + HEALTH, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _stop(proc: subprocess.Popen | None, timeout: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Replica:
    """One `streamlit run` process on a loopback port; `args` are extra Streamlit options."""

    def __init__(self, script: str = "app.py", port: int | None = None, env: dict[str, str] | None = None,
                 args: list[str] | tuple[str, ...] = (), log: Path | None = None, quiet: bool = True):
        self.script, self.args, self.log, self.quiet = script, list(args), log, quiet
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None

    def start(self) -> Replica:
        out = open(self.log, "w") if self.log else (subprocess.DEVNULL if self.quiet else None)  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
             "--server.headless", "true", "--server.address", HOST, *self.args],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
        )
        return self

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Le serveur {self.script} (port {self.port}) s'est arrêté au démarrage "
                                   f"(code {self.proc.returncode}).")
            if healthy(self.url):
                return
            time.sleep(0.2)
        raise RuntimeError(f"Le serveur {self.script} (port {self.port}) n'a pas répondu en {timeout:.0f} s.")

    def stop(self) -> None:
        _stop(self.proc)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.proc.pid)

    def memory_kb(self) -> dict[str, int]:
        """Resident memory now and at its peak (VmRSS, VmHWM) of the server process."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return {key: int(values[key].split()[0]) for key in ("VmRSS", "VmHWM")}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if not found:
        raise RuntimeError("HAProxy est introuvable : installez le paquet Debian « haproxy » "
                           "(sudo apt-get install haproxy).")
    return found


def haproxy_config(bind: str, backends: list[tuple[str, str]]) -> str:
    """deploy/haproxy.cfg.template with one `server` line per (name, host:port)."""
    servers = "\n".join(f"    server {name} {address} cookie {name}" for name, address in backends)
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(bind=bind, servers=servers)


class Cluster:
    """`replicas` Streamlit processes and HAProxy on `port`; use as a context manager."""

    def __init__(self, replicas: int = 2, port: int | None = None, script: str = "app.py",
                 env: dict[str, str] | None = None, args: list[str] | tuple[str, ...] = (),
                 log_dir: Path | None = None, quiet: bool = True):
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_dir = Path(log_dir) if log_dir else None
        self.replicas = [
            Replica(script, env=env, args=args, quiet=quiet,
                    log=self.log_dir / f"replica-{i + 1}.log" if self.log_dir else None)
            for i in range(replicas)
        ]
        self.proxy: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        binary = haproxy_binary()
        if not port_free(self.port):
            raise RuntimeError(f"Le port {self.port} est déjà utilisé (un autre serveur ?) : choisissez-en un autre, "
                               f"par exemple make serve PORT={self.port + 1}.")
        for replica in self.replicas:  # started together, they warm up in parallel
            replica.start()
        for replica in self.replicas:
            replica.wait_healthy()
        self._tmp = tempfile.TemporaryDirectory(prefix="observatoire-haproxy-")
        config = Path(self._tmp.name) / "haproxy.cfg"
        backends = [(f"r{i + 1}", f"{HOST}:{r.port}") for i, r in enumerate(self.replicas)]
        config.write_text(haproxy_config(f"{HOST}:{self.port}", backends), encoding="utf-8")
        log = open(self.log_dir / "haproxy.log", "w") if self.log_dir else subprocess.DEVNULL  # noqa: SIM115
        self.proxy = subprocess.Popen([binary, "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while not healthy(self.url):
            if self.proxy.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"HAProxy n'a pas démarré sur le port {self.port} (configuration : {config}).")
            time.sleep(0.1)

    def stop(self) -> None:
        _stop(self.proxy)
        for replica in self.replicas:
            replica.stop()
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None

    def cpu_seconds(self) -> float:
        """CPU time of the replicas (the proxy's is `proxy_cpu_seconds`)."""
        return sum(r.cpu_seconds() for r in self.replicas)

    def proxy_cpu_seconds(self) -> float:
        return cpu_seconds(self.proxy.pid)

    def memory_kb(self) -> dict[str, int]:
        """Resident memory summed over the replicas (VmRSS now, VmHWM peaks)."""
        each = [r.memory_kb() for r in self.replicas]
        return {key: sum(m[key] for m in each) for key in ("VmRSS", "VmHWM")}


def _raise_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Lance N réplicas Streamlit derrière HAProxy (affinité par cookie, websocket). "
                    "Les options inconnues (ex. --runner.postScriptGC true) sont passées à chaque réplica.")
    parser.add_argument("--replicas", type=int, default=2, help="nombre de processus Streamlit (un par cœur)")
    parser.add_argument("--port", type=int, default=8501, help="port du proxy (boucle locale)")
    args, streamlit_args = parser.parse_known_args(argv)
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        with Cluster(args.replicas, args.port, args=streamlit_args, quiet=False) as cluster:
            for i, replica in enumerate(cluster.replicas, 1):
                print(f"réplica r{i} : {replica.url} (pid {replica.proc.pid}, santé {replica.url}{HEALTH})")
            print(f"Tableau de bord : {cluster.url} ({len(cluster.replicas)} réplicas derrière HAProxy). "
                  "Ctrl-C pour tout arrêter.", flush=True)
            while all(r.proc.poll() is None for r in cluster.replicas) and cluster.proxy.poll() is None:
                time.sleep(1)
            print("Un processus s'est arrêté : arrêt de tous les autres.", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("Arrêt du proxy et des réplicas.")
        return 0
    except RuntimeError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
