"""Start the dashboard (or a floor page) with `streamlit run` on a free port, for measurements."""

from __future__ import annotations

from pathlib import Path

from deploy.serve import Replica, free_port

__all__ = ["Server", "free_port"]


class Server(Replica):
    """A `streamlit run` process on localhost; use as a context manager.

    `args` are extra Streamlit options, e.g. ["--runner.postScriptGC", "true"] to measure a setting.
    """

    def __init__(self, script: str = "app.py", db: Path | None = None, log: Path | None = None,
                 env: dict[str, str] | None = None, args: list[str] | tuple[str, ...] = ()):
        super().__init__(script, env={**({"OBSERVATOIRE_DB": str(db)} if db else {}), **(env or {})},
                         args=args, log=log)

    def __enter__(self) -> Server:
        self.start()
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
