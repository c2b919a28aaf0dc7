# Type stubs of the native half of the package (bindings-python/src/lib.rs).
from typing import Any, Dict, List, Optional, Tuple, Union, final

__all__ = [
    "DEFAULT_PROFILE",
    "NativeProfile",
    "NativeRender",
    "VERSION",
    "builtin_profile",
    "builtin_profile_names",
    "contract_hash",
    "profile_from_yaml",
    "render",
    "schema",
    "tree_run",
    "validate",
]

VERSION: str
DEFAULT_PROFILE: str

_Refusal = Tuple[str, str]
_Found = Tuple[List[Tuple[str, str]], int]
_TreeRefusal = Tuple[str, Optional[int]]

@final
class NativeProfile:
    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...

@final
class NativeRender:
    @property
    def name(self) -> str: ...
    @property
    def contract_hash(self) -> str: ...
    def files(self) -> List[Tuple[str, str]]: ...
    def tree(self) -> List[Tuple[str, str]]: ...
    def to_yaml(self) -> str: ...
    def objects_json(self) -> str: ...
    def findings_json(self) -> str: ...

def builtin_profile(name: str) -> Tuple[Optional[NativeProfile], str]: ...
def builtin_profile_names() -> List[str]: ...
def profile_from_yaml(
    source: bytes, file_name: str
) -> Tuple[Optional[NativeProfile], Optional[_Refusal]]: ...
def validate(
    source: Union[bytes, Dict[str, Any]],
    profile: Optional[NativeProfile],
    strict: bool,
) -> str: ...
def render(
    source: Union[bytes, Dict[str, Any]],
    file_name: str,
    profile: NativeProfile,
    image: Optional[str],
    version: Optional[str],
    bundle: Optional[str],
    flags: Optional[str],
    strict: bool,
) -> Tuple[Optional[NativeRender], Optional[_Refusal]]: ...
def contract_hash(
    source: Union[bytes, Dict[str, Any]], file_name: str
) -> Tuple[Optional[str], Optional[_Refusal]]: ...
def schema(kind: str) -> Optional[str]: ...
def tree_run(
    out: str,
    write: bool,
    sources: List[Tuple[Union[bytes, Dict[str, Any]], str]],
    profile: NativeProfile,
    images: Dict[str, str],
    versions: Dict[str, str],
    bundle: Optional[str],
    strict: bool,
    prune: bool,
    wait: float,
) -> Tuple[Optional[_Found], Optional[_Refusal], Optional[_TreeRefusal]]: ...
