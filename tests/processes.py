"""What the processes a test started are doing, read from /proc: which are alive, where they listen;
and a free port on loopback to start one on.

The engines under test (Ray, Scrapyd) start processes of their own, which rename themselves; a
marker in the environment they inherit finds them all.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

LISTEN = "0A"  # the TCP state in /proc/net/tcp*


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def marked_processes(marker: str) -> list[int]:
    """Pids of live processes whose environment holds `marker` (as NAME=VALUE)."""
    needle = marker.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                status = (entry / "status").read_text()
                if "\nState:\tZ" not in status:  # a zombie is dead, its parent has yet to reap it
                    found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours
            continue
    return found


def _listening_sockets() -> dict[str, str]:
    """Socket inode → the address it listens on, for every listening TCP socket on this machine."""
    listening = {}
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != LISTEN:
                continue
            address_hex = local.split(":")[0]
            raw = bytes.fromhex(address_hex)
            # /proc prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            listening[inode] = socket.inet_ntop(family, raw)
    return listening


def listening_addresses(pids: list[int]) -> set[str]:
    """The addresses the processes `pids` accept TCP connections on."""
    listening = _listening_sockets()
    found = set()
    for pid in pids:
        try:
            descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in descriptors:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in listening:
                found.add(listening[target[8:-1]])
    return found


def is_loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback
