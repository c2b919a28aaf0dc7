"""zave, the workload compiler, from Python.

A ``zave.yaml`` contract and an environment profile become a deterministic GitOps tree of
Kubernetes manifests. Every rule lives in zave's Rust core; this package converts values and
raises errors.

>>> import zave
>>> render = zave.render("apiVersion: zave.io/v1\\nkind: Workload\\nmetadata: {name: web}\\n"
...                      "spec: {runtime: container, exposure: public-http, delivery: rolling}\\n")
>>> list(render.files)[0]
'clusters/kind/platform/tenants/web/namespace-ns-web.yaml'
>>> [d.code for d in render.diagnostics]
['W004', 'W002']
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from . import _native

__version__: str = _native.VERSION

__all__ = [
    "ContractError",
    "Diagnostic",
    "Profile",
    "ProfileError",
    "Render",
    "Source",
    "ZaveError",
    "__version__",
    "contract_hash",
    "profiles",
    "render",
    "schema",
    "validate",
]

#: What a contract may be given as: YAML text (``str`` or ``bytes``), data (a mapping, as
#: ``yaml.safe_load`` or ``json.load`` return it), or the path of a file.
Source = Union[str, bytes, bytearray, Mapping[str, Any], "os.PathLike[str]"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding about an input: what, where, and how to fix it."""

    code: str
    """The code, such as ``Z201``; ``docs/diagnostics.md`` explains each."""
    severity: str
    """``"error"`` or ``"warning"`` (strict mode turns warnings into errors)."""
    path: str
    """The field, such as ``spec.capabilities[1].name``; empty for the whole document."""
    message: str
    """What is wrong, in one sentence."""
    line: Optional[int] = None
    """1-based line of the offending node; ``None`` for data without source text."""
    column: Optional[int] = None
    """1-based column of the offending node."""
    end_line: Optional[int] = None
    """Line just past the offending node."""
    end_column: Optional[int] = None
    """Column just past the offending node."""
    help: Optional[str] = None
    """How to fix it; for an unknown value, the closest allowed one."""

    @property
    def is_error(self) -> bool:
        """Whether this finding refuses the input."""
        return self.severity == "error"


class ZaveError(ValueError):
    """An input zave refuses. ``str()`` is the text the ``zave`` CLI prints for it."""

    diagnostics: List[Diagnostic]
    """Every finding, errors and warnings, in the core's order."""

    def __init__(self, message: str, diagnostics: List[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class ContractError(ZaveError):
    """A contract that does not validate, or that the profile refuses."""


class ProfileError(ZaveError):
    """A profile that does not validate, or an unknown built-in profile name."""


def _diagnostics(findings_json: str) -> List[Diagnostic]:
    return [Diagnostic(**finding) for finding in json.loads(findings_json)]


def _source(source: Source) -> Tuple[Union[bytes, Dict[str, Any]], str]:
    """The source as the native module takes it, and the file name findings mention."""
    if isinstance(source, str):
        return source.encode("utf-8", "surrogatepass"), "<string>"
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "<bytes>"
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        with open(path, "rb") as file:
            return file.read(), str(path)
    if isinstance(source, dict):
        return source, "<data>"
    if isinstance(source, Mapping):
        return dict(source), "<data>"
    raise TypeError(
        "a contract is YAML text (str or bytes), a mapping, or a path (os.PathLike); "
        f"got {type(source).__name__}"
    )


def _optional_str(name: str, value: object) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{name} must be a str or None; got {type(value).__name__}")


def _flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"{name} must be a bool; got {type(value).__name__}")


class Profile:
    """An environment profile: a built-in one, or your own read from YAML."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.NativeProfile) -> None:
        """Use :meth:`builtin` or :meth:`from_yaml`."""
        self._native = native

    @staticmethod
    def builtin(name: str) -> Profile:
        """The built-in profile ``name`` (see :func:`profiles`); ``ProfileError`` if none."""
        if not isinstance(name, str):
            raise TypeError(f"a profile name is a str; got {type(name).__name__}")
        native, unknown = _native.builtin_profile(name)
        if native is None:
            raise ProfileError(unknown, [])
        return Profile(native)

    @staticmethod
    def from_yaml(source: Union[str, bytes, "os.PathLike[str]"]) -> Profile:
        """A profile from YAML text or a file; ``ProfileError`` with diagnostics if invalid."""
        if isinstance(source, Mapping):
            raise TypeError("Profile.from_yaml takes YAML text or a path, not a mapping")
        data, file_name = _source(source)
        assert isinstance(data, bytes)
        native, refusal = _native.profile_from_yaml(data, file_name)
        if native is None:
            assert refusal is not None
            findings_json, text = refusal
            raise ProfileError(text, _diagnostics(findings_json))
        return Profile(native)

    @property
    def name(self) -> str:
        """The profile's name, recorded on every object as ``zave.io/profile``."""
        return self._native.name

    @property
    def source(self) -> str:
        """The profile's YAML, to copy and adapt."""
        return self._native.source

    def __repr__(self) -> str:
        return f"<zave.Profile {self.name!r}>"


def profiles() -> List[str]:
    """The names of the built-in profiles."""
    return list(_native.builtin_profile_names())


def _profile(profile: Union[str, Profile, None]) -> Optional[Profile]:
    if profile is None or isinstance(profile, Profile):
        return profile
    if isinstance(profile, str):
        return Profile.builtin(profile)
    raise TypeError(
        f"profile must be a built-in profile name or a zave.Profile; got {type(profile).__name__}"
    )


class Render:
    """A finished render: the tenant's files and the report of what zave decided."""

    __slots__ = ("_native", "files", "diagnostics")

    files: Dict[str, str]
    """The tenant's part of the GitOps tree: path → text, in tree order."""
    diagnostics: List[Diagnostic]
    """The report: mutations (defaults zave applied) and warnings."""

    def __init__(self, native: _native.NativeRender) -> None:
        """Renders come from :func:`render`."""
        self._native = native
        self.files = dict(native.files())
        self.diagnostics = _diagnostics(native.findings_json())

    @property
    def name(self) -> str:
        """The contract's name."""
        return self._native.name

    @property
    def contract_hash(self) -> str:
        """``sha256:<hex>`` of the contract's canonical JSON, as recorded on every object."""
        return self._native.contract_hash

    @property
    def objects(self) -> List[Dict[str, Any]]:
        """The Kubernetes objects as dicts, in the one order."""
        objects: List[Dict[str, Any]] = json.loads(self._native.objects_json())
        return objects

    def to_yaml(self) -> str:
        """Every file as one YAML stream, byte for byte what ``zave render`` prints."""
        return self._native.to_yaml()

    def __repr__(self) -> str:
        return f"<zave.Render {self.name!r}: {len(self.files)} files>"


def validate(
    source: Source, *, profile: Union[str, Profile, None] = None, strict: bool = False
) -> List[Diagnostic]:
    """Every finding about a contract: errors, warnings and mutations.

    The contract is valid when no finding is an error. With ``profile``, the profile's
    environment policy is checked too (stage 3); ``strict`` turns warnings into errors.
    """
    data, _ = _source(source)
    native_profile = _profile(profile)
    findings_json = _native.validate(
        data,
        None if native_profile is None else native_profile._native,
        _flag("strict", strict),
    )
    return _diagnostics(findings_json)


def render(
    source: Source,
    *,
    profile: Union[str, Profile] = _native.DEFAULT_PROFILE,
    image: Optional[str] = None,
    version: Optional[str] = None,
    bundle: Optional[str] = None,
    strict: bool = False,
) -> Render:
    """Renders a contract under a profile; ``ContractError`` when it is refused.

    ``image`` is the reference CI built (without it, the bootstrap image and warning W004);
    ``version`` the ``sha-xxxxxxx`` label; ``bundle`` the platform bundle recorded on every
    object. The GIL is released while the core renders, so threads render in parallel.
    """
    data, file_name = _source(source)
    native_profile = _profile(profile)
    if native_profile is None:
        raise TypeError("render needs a profile")
    native, refusal = _native.render(
        data,
        file_name,
        native_profile._native,
        _optional_str("image", image),
        _optional_str("version", version),
        _optional_str("bundle", bundle),
        _flag("strict", strict),
    )
    if native is None:
        assert refusal is not None
        findings_json, text = refusal
        raise ContractError(text, _diagnostics(findings_json))
    return Render(native)


def contract_hash(source: Source) -> str:
    """``sha256:<hex>`` of the contract's canonical JSON (RFC 8785): formatting, key order
    and comments do not change it."""
    data, file_name = _source(source)
    digest, refusal = _native.contract_hash(data, file_name)
    if digest is None:
        assert refusal is not None
        findings_json, text = refusal
        raise ContractError(text, _diagnostics(findings_json))
    return digest


def schema(kind: str = "contract") -> Dict[str, Any]:
    """The JSON Schema of ``"contract"`` or ``"profile"``, as zave enforces it."""
    text = _native.schema(kind) if isinstance(kind, str) else None
    if text is None:
        raise ValueError(f'schema kind is "contract" or "profile"; got {kind!r}')
    result: Dict[str, Any] = json.loads(text)
    return result
