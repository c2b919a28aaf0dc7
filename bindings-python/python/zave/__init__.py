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
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _native

__version__: str = _native.VERSION

__all__ = [
    "ContractError",
    "Diagnostic",
    "Profile",
    "ProfileError",
    "Render",
    "Source",
    "TreeDifference",
    "TreeError",
    "TreeReport",
    "ZaveError",
    "__version__",
    "check_tree",
    "contract_hash",
    "profiles",
    "render",
    "schema",
    "validate",
    "write_tree",
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


class TreeError(ZaveError, OSError):
    """The output folder refuses a :func:`write_tree` or :func:`check_tree` run, and nothing
    in it changed: a symbolic link, a file zave did not generate where zave would write, a
    file where a folder belongs, a path with ``..``, another zave run holding the folder, an
    image or version given for a tenant no contract of the run is named.

    ``str()`` is the message the ``zave`` CLI prints; ``errno`` is set when the operating
    system refused, else ``None``; ``diagnostics`` is empty.
    """

    def __init__(self, message: str, errno: Optional[int] = None) -> None:
        super().__init__(message, [])
        self.errno = errno


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

    __slots__ = ("_native", "_files", "_diagnostics")

    def __init__(self, native: _native.NativeRender) -> None:
        """Renders come from :func:`render`. The result stays native until a part of it is
        asked for, so a caller that only wants :meth:`to_yaml` pays for no Python objects."""
        self._native = native
        self._files: Optional[Dict[str, str]] = None
        self._diagnostics: Optional[List[Diagnostic]] = None

    @property
    def files(self) -> Dict[str, str]:
        """The tenant's part of the GitOps tree: path → text, in tree order (built on first
        use, then the same dict)."""
        if self._files is None:
            self._files = dict(self._native.files())
        return self._files

    @property
    def diagnostics(self) -> List[Diagnostic]:
        """The report: mutations (defaults zave applied) and warnings (built on first use,
        then the same list)."""
        if self._diagnostics is None:
            self._diagnostics = _diagnostics(self._native.findings_json())
        return self._diagnostics

    @property
    def name(self) -> str:
        """The contract's name."""
        return self._native.name

    @property
    def contract_hash(self) -> str:
        """``sha256:<hex>`` of the contract's canonical JSON, as recorded on every object."""
        return self._native.contract_hash

    @property
    def tree(self) -> Dict[str, str]:
        """The whole tree ``zave render --out`` (and :func:`write_tree`) writes into an empty
        folder: :attr:`files` and the index kustomizations, path → text."""
        return dict(self._native.tree())

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
    flags: Optional[str] = None,
    strict: bool = False,
) -> Render:
    """Renders a contract under a profile; ``ContractError`` when it is refused.

    ``image`` is the reference CI built (without it, the bootstrap image and warning W004);
    ``version`` the ``sha-xxxxxxx`` label; ``bundle`` the platform bundle recorded on every
    object; ``flags`` the text of the tenant's ``flags.json`` for ``feature-flags`` (without
    it, an empty flag set and warning W005; its findings name ``flags.json``). The GIL is released while the core renders, so threads render in parallel.
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
        _optional_str("flags", flags),
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


@dataclass(frozen=True)
class TreeDifference:
    """One path of the tree on disk that differs from what the contracts produce."""

    path: str
    """The tree path, such as ``clusters/kind/tenants/web/deployment-web.yaml``."""
    change: str
    """``"added"`` (missing on disk), ``"changed"`` (other bytes), ``"removed"`` (a zave file
    no contract produces, with ``prune``) or ``"leftover"`` (what an interrupted run left)."""

    def __str__(self) -> str:
        """The line the ``zave`` CLI lists it with."""
        return f"{self.change + ':':<10}{self.path}"


@dataclass(frozen=True)
class TreeReport:
    """What :func:`check_tree` found, or what :func:`write_tree` changed."""

    differences: List[TreeDifference]
    """Every path that differs (checking) or was written or taken out (writing), by path."""
    tenants: int
    """How many zave tenants the tree holds after the run."""

    @property
    def ok(self) -> bool:
        """Whether nothing differs: the tree is (or was already) what the contracts produce."""
        return not self.differences

    def __str__(self) -> str:
        """One line per difference, as ``zave render --check`` lists them."""
        return "\n".join(str(difference) for difference in self.differences)


def _names(name: str, value: object) -> Dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, Mapping) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return dict(value)
    raise TypeError(f"{name} must map tenant names to str, or be None; got {value!r}")


def _tree_run(
    out: Union[str, "os.PathLike[str]"],
    sources: Iterable[Source],
    *,
    write: bool,
    profile: Union[str, Profile],
    images: Optional[Mapping[str, str]],
    versions: Optional[Mapping[str, str]],
    bundle: Optional[str],
    strict: bool,
    prune: bool,
    wait: float,
) -> TreeReport:
    folder = os.fspath(out) if isinstance(out, (str, os.PathLike)) else None
    if not isinstance(folder, str):
        raise TypeError(f"out must be a str or an os.PathLike of str; got {type(out).__name__}")
    if isinstance(sources, (str, bytes, bytearray, memoryview, Mapping, os.PathLike)):
        raise TypeError(
            "sources is an iterable of contracts (a list, say); "
            f"got one {type(sources).__name__}"
        )
    natives = [_source(source) for source in sources]
    native_profile = _profile(profile)
    if native_profile is None:
        raise TypeError("a tree needs a profile")
    if isinstance(wait, bool) or not isinstance(wait, (int, float)):
        raise TypeError(f"wait must be a number of seconds; got {type(wait).__name__}")
    found, refusal, refused = _native.tree_run(
        folder,
        write,
        natives,
        native_profile._native,
        _names("images", images),
        _names("versions", versions),
        _optional_str("bundle", bundle),
        _flag("strict", strict),
        _flag("prune", prune),
        float(wait),
    )
    if refused is not None:
        message, errno = refused
        raise TreeError(message, errno)
    if refusal is not None:
        findings_json, text = refusal
        raise ContractError(text, _diagnostics(findings_json))
    assert found is not None
    differences, tenants = found
    return TreeReport([TreeDifference(path, change) for change, path in differences], tenants)


def write_tree(
    out: Union[str, "os.PathLike[str]"],
    sources: Iterable[Source],
    *,
    profile: Union[str, Profile] = _native.DEFAULT_PROFILE,
    images: Optional[Mapping[str, str]] = None,
    versions: Optional[Mapping[str, str]] = None,
    bundle: Optional[str] = None,
    strict: bool = False,
    prune: bool = False,
    wait: float = 300.0,
) -> TreeReport:
    """Renders every contract into the GitOps tree in ``out``: exactly what
    ``zave render ... --out`` writes (the same writer, so the same bytes, index included).

    ``sources`` are contracts as :func:`render` takes them. ``images`` and ``versions`` map
    tenant names to the reference and ``sha-xxxxxxx`` label CI built; a tenant without one
    keeps what its Deployment in the tree records. ``prune`` also takes out the zave tenants
    no contract names. ``wait`` is how many seconds to wait for another zave run holding
    ``out`` (the CLI's ``--wait``). The report lists what was written, taken out or cleared.

    All or nothing: the tree changes only when every contract renders and nothing refuses.
    Contracts that do not render raise :class:`ContractError` with the findings of all of
    them, in input order; two contracts with one name raise :class:`ContractError` too (its
    text names the tenant; it adds no diagnostic). The tree refusing (a symbolic link, a file
    zave did not generate, ``..`` in ``out``, another run holding it) raises
    :class:`TreeError`. The GIL is released while zave renders and writes.
    """
    return _tree_run(
        out,
        sources,
        write=True,
        profile=profile,
        images=images,
        versions=versions,
        bundle=bundle,
        strict=strict,
        prune=prune,
        wait=wait,
    )


def check_tree(
    out: Union[str, "os.PathLike[str]"],
    sources: Iterable[Source],
    *,
    profile: Union[str, Profile] = _native.DEFAULT_PROFILE,
    images: Optional[Mapping[str, str]] = None,
    versions: Optional[Mapping[str, str]] = None,
    bundle: Optional[str] = None,
    strict: bool = False,
    prune: bool = False,
    wait: float = 300.0,
) -> TreeReport:
    """Compares the GitOps tree in ``out`` with what the contracts produce, writing nothing:
    ``zave render ... --out --check``. ``report.ok`` is the gate; ``str(report)`` lists the
    files that differ as the CLI does. Arguments and errors are those of :func:`write_tree`
    (a missing ``out`` is not an error: every file is ``"added"``).
    """
    return _tree_run(
        out,
        sources,
        write=False,
        profile=profile,
        images=images,
        versions=versions,
        bundle=bundle,
        strict=strict,
        prune=prune,
        wait=wait,
    )
