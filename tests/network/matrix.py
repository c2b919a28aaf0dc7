"""Connections as sets, so that the analyzer's matrix and the expected one compare exactly.

An endpoint is a pod group, named as the analyzer names it (`ns-shop/shop[Deployment]`,
`kube-system/kube-dns[Pod]`, `zave-platform/shop-db-init-1a2b3c4d[Job]`), or an IPv4 block.
A connection set is ALL or a set of (protocol, first port, last port) intervals.

The analyzer splits address space at every CIDR a policy names, and may group blocks as it
likes; `canonical` re-cuts both matrices the same way (per pod: address space → connections,
merged where adjacent blocks allow the same), so only the meaning is compared.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

ALL = "All connections"
PORTS = (1, 65535)


@dataclass(frozen=True, order=True)
class Ip:
    """An IPv4 block as an inclusive integer range."""

    first: int
    last: int

    @staticmethod
    def cidr(text: str) -> "Ip":
        net = ipaddress.ip_network(text, strict=True)
        if net.version != 4:
            raise ValueError(f"only IPv4 blocks are modelled: {text}")
        return Ip(int(net.network_address), int(net.broadcast_address))

    def __str__(self) -> str:
        return f"{ipaddress.IPv4Address(self.first)}-{ipaddress.IPv4Address(self.last)}"


ANYWHERE = Ip.cidr("0.0.0.0/0")


def conns(*items: tuple[str, int] | tuple[str, int, int]) -> frozenset:
    """Connections from (protocol, port) or (protocol, first, last)."""
    return normalise({(i[0], i[1], i[-1]) for i in items})


def normalise(intervals) -> frozenset | str:
    if intervals == ALL:
        return ALL
    by_proto: dict[str, list[tuple[int, int]]] = {}
    for proto, lo, hi in intervals:
        by_proto.setdefault(proto, []).append((lo, hi))
    out = set()
    for proto, ranges in by_proto.items():
        ranges.sort()
        cur_lo, cur_hi = ranges[0]
        for lo, hi in ranges[1:]:
            if lo <= cur_hi + 1:
                cur_hi = max(cur_hi, hi)
            else:
                out.add((proto, cur_lo, cur_hi))
                cur_lo, cur_hi = lo, hi
        out.add((proto, cur_lo, cur_hi))
    return frozenset(out)


def union(a, b):
    if a == ALL or b == ALL:
        return ALL
    return normalise(set(a) | set(b))


def show(c) -> str:
    if c == ALL:
        return ALL
    parts = []
    for proto, lo, hi in sorted(c):
        ports = "all ports" if (lo, hi) == PORTS else (str(lo) if lo == hi else f"{lo}-{hi}")
        parts.append(f"{proto} {ports}")
    return ", ".join(parts)


# --- The analyzer's txt_no_fw_rules lines: `SRC => DST : CONNECTIONS`
LINE = re.compile(r"^(?P<src>\S+) => (?P<dst>\S+) : (?P<conns>.+)$")
CUBE = re.compile(r"\{([^{}]*)\}")
IP_RANGE = re.compile(r"^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$")


def parse_endpoint(text: str):
    """A pod group stays its name; address blocks (comma-separated ranges) become Ip's."""
    if re.match(r"^[0-9.,/-]+$", text):
        blocks = []
        for part in text.split(","):
            m = IP_RANGE.match(part)
            if m:
                blocks.append(
                    Ip(int(ipaddress.IPv4Address(m[1])), int(ipaddress.IPv4Address(m[2])))
                )
            else:
                blocks.append(Ip.cidr(part))
        return blocks
    if ":" in text and "[" not in text:
        raise ValueError(f"IPv6 endpoint {text!r}: the suite models IPv4 only")
    return [text]


def parse_conns(text: str):
    text = text.strip()
    if text == ALL:
        return ALL
    cubes = CUBE.findall(text)
    if not cubes or CUBE.sub("", text).strip(", ") != "":
        raise ValueError(f"unparsed connections: {text!r}")
    intervals = set()
    for cube in cubes:
        m = re.fullmatch(r"protocols:(?P<p>[A-Z, ]+?)(?:,dst_ports:(?P<d>[0-9,-]+))?", cube)
        if not m:
            raise ValueError(f"unparsed connection cube: {{{cube}}} in {text!r}")
        protocols = [p.strip() for p in m["p"].split(",")]
        ranges = []
        for r in (m["d"] or f"{PORTS[0]}-{PORTS[1]}").split(","):
            lo, _, hi = r.partition("-")
            ranges.append((int(lo), int(hi or lo)))
        for proto in protocols:
            if proto not in ("TCP", "UDP", "SCTP"):
                raise ValueError(f"unexpected protocol {proto!r} in {text!r}")
            for lo, hi in ranges:
                intervals.add((proto, lo, hi))
    return normalise(intervals)


def parse(output: str) -> list[tuple]:
    """Every `SRC => DST : CONNS` line; anything else the analyzer prints is not a connection."""
    edges = []
    for line in output.splitlines():
        m = LINE.match(line.strip())
        if not m:
            continue
        c = parse_conns(m["conns"])
        for src in parse_endpoint(m["src"]):
            for dst in parse_endpoint(m["dst"]):
                edges.append((src, dst, c))
    return edges


def canonical(edges) -> dict[tuple[str, str], object]:
    """(src, dst) → connections, pods by name and address space re-cut as one function."""
    pods: dict[tuple[str, str], object] = {}
    ip_side: dict[tuple[str, str], list[tuple[Ip, object]]] = {}
    for src, dst, c in edges:
        if isinstance(src, Ip) and isinstance(dst, Ip):
            raise ValueError(f"block to block {src} => {dst}: not a pod connection")
        if isinstance(src, Ip):
            ip_side.setdefault((dst, "from"), []).append((src, c))
        elif isinstance(dst, Ip):
            ip_side.setdefault((src, "to"), []).append((dst, c))
        else:
            pods[(src, dst)] = union(pods.get((src, dst), frozenset()), c)
    out = {k: v for k, v in pods.items() if v}
    for (pod, direction), blocks in ip_side.items():
        cuts = sorted({b.first for b, _ in blocks} | {b.last + 1 for b, _ in blocks})
        segments = []
        for lo, nxt in zip(cuts, cuts[1:]):
            c = frozenset()
            for b, bc in blocks:
                if b.first <= lo and nxt - 1 <= b.last:
                    c = union(c, bc)
            if not c:
                continue
            if segments and segments[-1][1] == lo - 1 and segments[-1][2] == c:
                segments[-1] = (segments[-1][0], nxt - 1, c)
            else:
                segments.append((lo, nxt - 1, c))
        for lo, hi, c in segments:
            block = str(Ip(lo, hi))
            key = (block, pod) if direction == "from" else (pod, block)
            out[key] = c
    return out


def diff(expected: dict, actual: dict) -> list[str]:
    """Readable lines: `+` open but not expected, `-` expected but closed, `~` other ports."""
    lines = []
    for key in sorted(set(expected) | set(actual)):
        e, a = expected.get(key), actual.get(key)
        if e == a:
            continue
        pair = f"{key[0]} => {key[1]}"
        if e is None:
            lines.append(f"+ {pair} : {show(a)}   (open, expected closed)")
        elif a is None:
            lines.append(f"- {pair} : {show(e)}   (closed, expected open)")
        else:
            lines.append(f"~ {pair} : {show(a)}   (expected {show(e)})")
    return lines


def table(matrix: dict) -> str:
    return "\n".join(f"{s} => {d} : {show(c)}" for (s, d), c in sorted(matrix.items()))
