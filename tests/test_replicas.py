"""The replicas' launcher (deploy/serve.py): a valid HAProxy configuration, a busy port refused in French, every
process stopped on SIGTERM. The cluster in a browser: tests/browser/test_replicas_e2e.py."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.serve import Cluster, free_port, haproxy_binary, haproxy_config, healthy, port_free
from observatoire.paths import ROOT

PASSWORD = "un mot de passe de test assez long"
COOKIE = "OBSERVATOIRE_REPLICA"
REGISTER_2015 = (b"member_id;name;structure_type;commune_insee;creation_year;fte;turnover_eur\n"
                 b"m-irisse;IRISSE;GES;09261;2011;56;708000\n"
                 b"n-1;Nouvelle association;AI;31555;2015;12,5;300000\n")


def test_the_generated_haproxy_configuration_is_valid(tmp_path):
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config("127.0.0.1:18080", [("r1", "127.0.0.1:18081"), ("r2", "127.0.0.1:18082")]))
    text = config.read_text()
    assert "    server r1 127.0.0.1:18081 cookie r1\n    server r2 127.0.0.1:18082 cookie r2" in text
    assert "cookie OBSERVATOIRE_REPLICA insert indirect nocache" in text and "timeout tunnel 12h" in text
    assert "option httpchk GET /_stcore/health" in text
    checked = subprocess.run([haproxy_binary(), "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_busy_port_is_refused_in_french_before_anything_starts():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(RuntimeError, match=f"Le port {port} est déjà utilisé"), Cluster(2, port=port) as c:
            pytest.fail(f"started on a busy port: {c.url}")


def test_make_serve_stops_the_proxy_and_every_replica_on_sigterm(built_db):
    port = free_port()
    launcher = subprocess.Popen([sys.executable, "-m", "deploy.serve", "--replicas", "2", "--port", str(port)],
                                cwd=ROOT, env={**os.environ, "OBSERVATOIRE_DB": str(built_db)},
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in launcher.stdout:
            lines.append(line)
            if line.startswith("Tableau de bord :"):
                break
        pids = [int(p) for p in re.findall(r"\(pid (\d+),", "".join(lines))]
        assert len(pids) == 2, lines
        assert healthy(f"http://127.0.0.1:{port}")
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(timeout=30) == 0
        assert "Arrêt du proxy et des réplicas." in launcher.stdout.read()
        assert not any(Path(f"/proc/{pid}").exists() for pid in pids) and port_free(port)
    finally:
        if launcher.poll() is None:
            launcher.kill()
