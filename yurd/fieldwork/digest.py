"""HTTP Digest access authentication (RFC 7616, with RFC 2617's MD5), pure Python.

The server keeps H(username:realm:password) per device user (models.DeviceCredential);
nonces are stateless: a timestamp signed with an HMAC of the server's secret, so any
worker process can check them. A nonce older than NONCE_SECONDS is answered with
`stale=true`, and the client repeats the request with a fresh one without asking its
user again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

NONCE_SECONDS = 300
# MD5 first: ODK Collect's digest client takes the first challenge it is offered and
# speaks MD5 only; clients that know SHA-256 may still choose the second.
ALGORITHMS = ("MD5", "SHA-256")
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
_PARAM = re.compile(r'\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?')


def hash_hex(algorithm: str, text: str) -> str:
    return _HASHES[algorithm](text.encode("utf-8"), usedforsecurity=False).hexdigest()


def ha1(algorithm: str, username: str, realm: str, password: str) -> str:
    return hash_hex(algorithm, f"{username}:{realm}:{password}")


def make_nonce(secret: str, *, now: float | None = None) -> str:
    # The random part makes every challenge's nonce unique, so its count (nc) is one client's.
    stamp = f"{int(time.time() if now is None else now)}.{secrets.token_hex(8)}"
    signature = hmac.new(secret.encode(), stamp.encode(), hashlib.sha256).hexdigest()[:32]
    return base64.b64encode(f"{stamp}:{signature}".encode()).decode()


def nonce_age(secret: str, nonce: str, *, now: float | None = None) -> float | None:
    """Seconds since the nonce was issued, or None when this server did not issue it."""
    try:
        stamp, _sep, signature = base64.b64decode(nonce.encode(), validate=True).decode().partition(":")
        issued = int(stamp.split(".", 1)[0])
    except (ValueError, UnicodeDecodeError):
        return None
    expected = hmac.new(secret.encode(), stamp.encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(expected, signature):
        return None
    return (time.time() if now is None else now) - issued


def challenges(realm: str, nonce: str, *, stale: bool = False) -> list[str]:
    opaque = hashlib.sha256(realm.encode()).hexdigest()[:32]
    extra = ", stale=true" if stale else ""
    return [
        f'Digest realm="{realm}", qop="auth", algorithm={algorithm}, nonce="{nonce}", opaque="{opaque}"{extra}'
        for algorithm in ALGORITHMS
    ]


def parse_authorization(header: str) -> dict[str, str] | None:
    """The parameters of a `Digest ...` Authorization header, or None if it is not one."""
    scheme, _sep, rest = header.partition(" ")
    if scheme.lower() != "digest":
        return None
    params = {}
    for match in _PARAM.finditer(rest):
        key, quoted, token = match.groups()
        params[key.lower()] = quoted.replace('\\"', '"').replace("\\\\", "\\") if quoted is not None else token
    return params


@dataclass(frozen=True)
class DigestRequest:
    username: str
    realm: str
    nonce: str
    uri: str
    response: str
    algorithm: str
    qop: str
    nc: str
    cnonce: str


def read_request(params: dict[str, str]) -> DigestRequest | None:
    """The fields the server checks; None when something required is missing or unsupported."""
    algorithm = params.get("algorithm", "MD5")
    if algorithm not in ALGORITHMS:
        return None
    required = ("username", "realm", "nonce", "uri", "response")
    if any(not params.get(key) for key in required):
        return None
    qop = params.get("qop", "")
    if qop not in ("", "auth") or (qop and not (params.get("nc") and params.get("cnonce"))):
        return None
    return DigestRequest(
        username=params["username"],
        realm=params["realm"],
        nonce=params["nonce"],
        uri=params["uri"],
        response=params["response"].lower(),
        algorithm=algorithm,
        qop=qop,
        nc=params.get("nc", ""),
        cnonce=params.get("cnonce", ""),
    )


def expected_response(request: DigestRequest, *, ha1_hex: str, method: str) -> str:
    ha2 = hash_hex(request.algorithm, f"{method}:{request.uri}")
    if request.qop:
        return hash_hex(
            request.algorithm, f"{ha1_hex}:{request.nonce}:{request.nc}:{request.cnonce}:{request.qop}:{ha2}"
        )
    return hash_hex(request.algorithm, f"{ha1_hex}:{request.nonce}:{ha2}")


def response_matches(request: DigestRequest, *, ha1_hex: str, method: str) -> bool:
    return hmac.compare_digest(expected_response(request, ha1_hex=ha1_hex, method=method), request.response)
