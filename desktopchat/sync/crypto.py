"""End-to-end encryption of everything sync writes: AES-256-GCM under a key derived from the
sync passphrase with scrypt, from the `cryptography` library.

- The sync folder holds one plaintext file, `header.json`: the format, scrypt's parameters
  and a random 32-byte salt drawn by the first computer. The salt is per sync folder, so
  the same passphrase gives another key elsewhere, and nothing in it says anything about
  the passphrase or the history.
- scrypt gives a 32-byte master key; HKDF-SHA256 splits it into the encryption key and a
  naming key (attachment files are named by an HMAC of their hash, so the folder does not
  reveal which well-known file someone attached).
- Each file is `DCS1` + a 12-byte random nonce + AES-GCM(zlib(plaintext)), with the file's
  place (`<device folder>/<file name>`) as associated data: a file moved to another name
  or another device's folder, changed by one bit, cut short or written by someone without
  the passphrase does not open (Refused), and is never half-used.
- `keycheck` holds a known text sealed under the key: a wrong passphrase is told at once,
  before anything is read or written.

The passphrase and keys live in memory only (the passphrase in the OS keychain between
runs, system/keys.py); nothing here writes them anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from desktopchat.sync.errors import Refused, WrongPassphrase

HEADER_NAME = "header.json"
KEYCHECK_NAME = "keycheck"
HEADER_LIMIT = 4096
FORMAT = 1
MAGIC = b"DCS1"
_NONCE = 12
_TAG = 16
_AD_PREFIX = b"DesktopChat-sync/1\n"
_KEYCHECK_TEXT = b"DesktopChat sync key check, format 1"
SCRYPT_N = 1 << 15
"""scrypt's cost: 32 MiB and ~0.1 s here, once per sync (an attacker pays it per guess)."""


@dataclass(frozen=True)
class KdfParameters:
    salt: bytes
    n: int = SCRYPT_N
    r: int = 8
    p: int = 1


def new_parameters() -> KdfParameters:
    return KdfParameters(os.urandom(32))


def header_bytes(parameters: KdfParameters) -> bytes:
    return json.dumps(
        {
            "format": FORMAT,
            "app": "DesktopChat",
            "cipher": "AES-256-GCM",
            "kdf": "scrypt",
            "n": parameters.n,
            "r": parameters.r,
            "p": parameters.p,
            "salt": base64.b64encode(parameters.salt).decode("ascii"),
        },
        indent=1,
    ).encode("utf-8")


def parse_header(data: bytes) -> KdfParameters:
    """The parameters of a header, checked: a hostile header cannot ask for a cost that
    freezes the computer or a salt that is not one."""
    try:
        header = json.loads(data.decode("utf-8"))
        if not isinstance(header, dict) or header.get("kdf") != "scrypt":
            raise ValueError("not a scrypt header")
        if header.get("format") != FORMAT:
            raise Refused(
                "the sync folder was made by a newer DesktopChat (format "
                f"{header.get('format')!r}): update DesktopChat on this computer"
            )
        n, r, p = int(header["n"]), int(header["r"]), int(header["p"])
        salt = base64.b64decode(str(header["salt"]), validate=True)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise Refused(f"the sync folder's {HEADER_NAME} is not one DesktopChat wrote") from error
    if not (1 << 14 <= n <= 1 << 20 and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 4):
        raise Refused(f"the sync folder's {HEADER_NAME} asks for a key cost out of range")
    if not 16 <= len(salt) <= 64:
        raise Refused(f"the sync folder's {HEADER_NAME} has no usable salt")
    return KdfParameters(salt, n, r, p)


class Keys:
    """The keys of one sync folder, derived from the passphrase; never written anywhere."""

    def __init__(self, master: bytes) -> None:
        self._aead = AESGCM(_expand(master, b"desktopchat sync encryption"))
        self._names = _expand(master, b"desktopchat sync file names")

    def __repr__(self) -> str:
        return "<sync keys hidden>"

    def seal(self, place: str, plaintext: bytes) -> bytes:
        """Compress and encrypt; `place` ("<folder>/<name>") is authenticated with it."""
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, zlib.compress(plaintext, 6), _AD_PREFIX + place.encode())
        return MAGIC + nonce + sealed

    def open(self, place: str, data: bytes, limit: int) -> bytes:
        """Decrypt and decompress (at most `limit` bytes); Refused for anything that is not
        exactly what this key sealed at this place."""
        if len(data) < len(MAGIC) + _NONCE + _TAG or not data.startswith(MAGIC):
            raise Refused(f"{place} is not a DesktopChat sync file (or is cut short)")
        nonce = data[len(MAGIC) : len(MAGIC) + _NONCE]
        try:
            packed = self._aead.decrypt(
                nonce, data[len(MAGIC) + _NONCE :], _AD_PREFIX + place.encode()
            )
        except InvalidTag as error:
            raise Refused(
                f"{place} does not open with this folder's key: it was changed, cut short, "
                "moved, or written with another passphrase; it is not used"
            ) from error
        inflater = zlib.decompressobj()
        try:
            plaintext = inflater.decompress(packed, limit)
        except zlib.error as error:
            raise Refused(f"{place} is damaged inside") from error
        if inflater.unconsumed_tail or not inflater.eof:
            raise Refused(f"{place} holds more than sync ever writes: not used")
        return plaintext

    def blob_name(self, sha256: str) -> str:
        """The file name of an attachment's bytes: the same on every computer, meaningless
        without the key."""
        return hmac.new(self._names, sha256.encode("ascii"), hashlib.sha256).hexdigest()[:40]

    def keycheck(self) -> bytes:
        return self.seal(KEYCHECK_NAME, _KEYCHECK_TEXT)

    def check(self, keycheck: bytes) -> None:
        """WrongPassphrase unless `keycheck` was sealed with this very key."""
        try:
            ok = self.open(KEYCHECK_NAME, keycheck, 1024) == _KEYCHECK_TEXT
        except Refused:
            ok = False
        if not ok:
            raise WrongPassphrase(
                "this passphrase does not open the sync folder: it is not the one the "
                "other computers use. Nothing was read or changed."
            )


def derive_keys(passphrase: str, parameters: KdfParameters) -> Keys:
    if not passphrase:
        raise WrongPassphrase("the sync passphrase is empty")
    kdf = Scrypt(salt=parameters.salt, length=32, n=parameters.n, r=parameters.r, p=parameters.p)
    return Keys(kdf.derive(passphrase.encode("utf-8")))


def _expand(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)
