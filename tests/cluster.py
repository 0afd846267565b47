"""`make run-cluster` on free loopback ports, for the fault tests and the benchmark."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

import sqlalchemy as sa

from .servers import Stack, free_port


class Cluster(Stack):
    """`make run-cluster` on free ports: `workers` Rasa servers, 1 action server, its own Redis and PostgreSQL."""

    make_target = "run-cluster"

    def __init__(self, workdir: Path, today: str, workers: int = 2):
        self.server_ports = _free_ports(workers)
        self.redis_port, self.postgres_port = free_port(), free_port()
        super().__init__(
            workdir,
            today,
            env={
                "CARE_CLOCK_WORKERS": str(workers),
                "RASA_SERVER_PORT": str(self.server_ports[0]),
                "ACTION_SERVER_PORT": str(free_port()),
                "CARE_CLOCK_REDIS_PORT": str(self.redis_port),
                "CARE_CLOCK_POSTGRES_PORT": str(self.postgres_port),
                "CARE_CLOCK_POSTGRES_DATA": _postgres_folder(),
                # Two servers and the load share 2 cores: an action call may take
                # seconds, which must not turn into the outage reply here.
                "CARE_CLOCK_ACTION_TIMEOUT": "15",
            },
        )
        for own in ("CARE_CLOCK_REDIS_URL", "CARE_CLOCK_DATABASE_URL"):
            self.env.pop(own, None)
        self.database = sa.create_engine(f"postgresql://careclock@127.0.0.1:{self.postgres_port}/postgres")

    def remove_database(self) -> None:
        """The PostgreSQL data folder (outside the var folder); after stop()."""
        shutil.rmtree(Path(self.env["CARE_CLOCK_POSTGRES_DATA"]).parent, ignore_errors=True)

    def server_pid(self, port: int) -> int:
        return self.pid(f"rasa:rasa_{port}")

    def user_texts(self, sender: str) -> list[str]:
        """The patient's messages the tracker store holds, in order."""
        with self.database.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                {"s": sender},
            ).scalars()
            return [json.loads(row)["text"] for row in rows]

    def event_types(self, sender: str) -> list[str]:
        with self.database.connect() as connection:
            return list(
                connection.execute(
                    sa.text(
                        "SELECT type_name || ':' || coalesce(action_name, '') FROM events "
                        "WHERE sender_id = :s ORDER BY id"
                    ),
                    {"s": sender},
                ).scalars()
            )


def _postgres_folder() -> str:
    """A data folder the postgres user can reach (pytest's folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="care-clock-cluster-pg-")) / "data"
    folder.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder.parent, "postgres")
        shutil.chown(folder, "postgres")
    return str(folder)


def _free_ports(count: int) -> list[int]:
    """Consecutive free ports (the cluster gives its servers consecutive ports)."""
    while True:
        first = free_port()
        try:
            for port in range(first + 1, first + count):
                with socket.create_server(("127.0.0.1", port)):
                    pass
            return list(range(first, first + count))
        except OSError:
            continue
