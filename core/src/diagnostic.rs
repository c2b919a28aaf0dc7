//! Diagnostics as data: codes, severities, positions, and their one text form.

use std::fmt::{self, Write as _};

use serde::Serialize;

use crate::document::{Path, Span};

/// How serious a finding is. Errors stop a render; warnings are reported and recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The contract is refused.
    Error,
    /// The contract is accepted, possibly with a mutation.
    Warning,
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $text:literal, $stage:literal;)*) => {
        /// Every diagnostic code zave emits. `Z1xx` schema, `Z2xx` compatibility, `Z3xx`
        /// environment policy, `Z4xx` the set of contracts, `Wxxx` mutations (defaults and injections).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in diagnostics: `Z201`, `W001`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// One line saying what the code means, for the catalogue and `explain`.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => concat!($($doc),*).trim_ascii(),)* }
            }

            /// The validation stage that emits it: `schema`, `compatibility`, `policy`, `set`,
            /// `mutation`.
            pub fn stage(self) -> &'static str {
                match self { $(Code::$variant => $stage,)* }
            }
        }
    };
}

codes! {
    /// The YAML is malformed.
    Syntax = "Z100", "schema";
    /// The input is larger than zave reads (1 MiB).
    TooLarge = "Z101", "schema";
    /// The input is not UTF-8 text, or holds a NUL or other control character.
    Encoding = "Z102", "schema";
    /// The input holds no document, or more than one.
    DocumentCount = "Z103", "schema";
    /// A mapping repeats a key.
    DuplicateKey = "Z104", "schema";
    /// Anchors and aliases beyond the small bound zave allows.
    AliasLimit = "Z105", "schema";
    /// Nesting deeper than any contract needs.
    TooDeep = "Z106", "schema";
    /// A YAML feature contracts do not use: custom tags, non-string keys.
    UnsupportedYaml = "Z107", "schema";
    /// A value of the wrong type.
    WrongType = "Z110", "schema";
    /// A required key is missing.
    MissingKey = "Z111", "schema";
    /// A key the schema does not know.
    UnknownKey = "Z112", "schema";
    /// A value outside the allowed set.
    UnknownValue = "Z113", "schema";
    /// A value that breaks its grammar: a name, a path, a length or range.
    InvalidFormat = "Z114", "schema";
    /// A profile setting that contradicts another.
    ProfileInconsistent = "Z120", "schema";
    /// A flags file that is not well-formed JSON.
    FlagsSyntax = "Z130", "schema";
    /// A flags file that breaks flagd's flag-definition format: a missing or unknown key, a
    /// value of the wrong type, a state other than `ENABLED` or `DISABLED`, mixed variant types.
    FlagsInvalid = "Z131", "schema";
    /// A default variant or targeting result naming a variant the flag does not have.
    UnknownVariant = "Z132", "schema";
    /// A targeting rule that is not a JsonLogic rule: not a mapping, or an operation with other
    /// than one operator.
    TargetingShape = "Z133", "schema";
    /// A reserved value that zave.io/v1 does not implement yet.
    Reserved = "Z201", "compatibility";
    /// A structural capability, not allowed in zave.io/v1.
    StructuralCapability = "Z202", "compatibility";
    /// The `static` runtime combined with something it cannot serve.
    StaticRuntime = "Z203", "compatibility";
    /// A capability listed twice.
    DuplicateCapability = "Z204", "compatibility";
    /// A contract that lists itself as a dependency.
    SelfDependency = "Z205", "compatibility";
    /// A dependency listed twice, or whose `<NAME>_HOST` variable the platform already sets.
    DuplicateDependency = "Z206", "compatibility";
    /// A name that cannot become a safe identifier for the contract's database engine.
    UnmappableName = "Z207", "compatibility";
    /// A name the GitOps tree's layout takes for itself.
    TreeReservedName = "Z208", "compatibility";
    /// Migrations for an engine without a schema to migrate (only postgres and mysql have one).
    MigrationsWithoutSchema = "Z209", "compatibility";
    /// An exposure the profile does not allow.
    ExposureNotAllowed = "Z301", "policy";
    /// A database engine the profile does not allow or offer.
    EngineNotAllowed = "Z302", "policy";
    /// A tier the profile does not allow.
    TierNotAllowed = "Z303", "policy";
    /// An image from a registry the profile does not allow.
    RegistryNotAllowed = "Z304", "policy";
    /// An image reference that is malformed, or tagged `latest`.
    InvalidImage = "Z305", "policy";
    /// A version label that is not `sha-` and seven hex digits.
    InvalidVersion = "Z306", "policy";
    /// A profile value that Kubernetes would refuse in an object: a name, a label, an
    /// annotation, a host, an address block, a quantity or a duration.
    InvalidProfileValue = "Z307", "policy";
    /// A network peer that does not say what it opens: no port without `allPorts: true`, or a
    /// namespace and an address block at once.
    AmbiguousPeer = "Z308", "policy";
    /// A network peer open to every address (`0.0.0.0/0`, `::/0`); a warning, refused when strict.
    OpenPeer = "Z309", "policy";
    /// A tenant namespace the profile reserves: one it names itself, `default`, or `kube-*`.
    ReservedNamespace = "Z310", "policy";
    /// A tenant name equal to a pod selector value the profile uses, such as `pgbouncer`.
    ReservedName = "Z311", "policy";
    /// A capability the profile does not offer (`feature-flags` without a `featureFlags` block).
    CapabilityNotOffered = "Z312", "policy";
    /// A capability that needs native sidecars (Kubernetes 1.29) under a profile pinning an
    /// older Kubernetes.
    SidecarsUnsupported = "Z313", "policy";
    /// Two contracts of one set share a name.
    DuplicateName = "Z401", "set";
    /// A dependency on a workload of the set that no other tenant can call.
    UncallableDependency = "Z402", "set";
    /// A dependency on a workload outside the set (the tree on disk may hold it).
    DependencyOutsideSet = "Z403", "set";
    /// `spec.delivery` is missing; `rolling` is used.
    DeliveryDefaulted = "W001", "mutation";
    /// `spec.resources.tier` is missing; the profile's default tier is used.
    TierDefaulted = "W002", "mutation";
    /// A capability the profile requires was added.
    CapabilityInjected = "W003", "mutation";
    /// No image was given; the bootstrap image is used.
    BootstrapImage = "W004", "mutation";
    /// `feature-flags` without a flags file; the sidecar serves an empty flag set.
    EmptyFlagSet = "W005", "mutation";
}

impl Code {
    /// The severity a finding of this code has before strict mode. Mutations are warnings, and
    /// so is a dependency outside the set (the tree on disk may hold it); every other code is an
    /// error.
    pub fn default_severity(self) -> Severity {
        if self.as_str().starts_with('W')
            || matches!(self, Code::DependencyOutsideSet | Code::OpenPeer)
        {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One finding about an input: what, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The code, such as `Z201`.
    pub code: Code,
    /// Error or warning (strict mode turns warnings into errors).
    pub severity: Severity,
    /// The field the finding is about, such as `spec.capabilities[1].name`; empty for the whole
    /// document.
    pub path: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// 1-based line of the offending node, when the input had positions.
    pub line: Option<u32>,
    /// 1-based column of the offending node, when the input had positions.
    pub column: Option<u32>,
    /// Line just past the offending node.
    pub end_line: Option<u32>,
    /// Column just past the offending node.
    pub end_column: Option<u32>,
    /// How to fix it; for an unknown value, the closest allowed one.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding of `code` at `path`, with the code's default severity.
    pub fn new(code: Code, path: &Path, span: Option<Span>, message: impl Into<String>) -> Self {
        let start = span.map(|s| s.start).filter(|p| p.line > 0);
        let end = span.map(|s| s.end).filter(|p| p.line > 0);
        Diagnostic {
            code,
            severity: code.default_severity(),
            path: path.to_string(),
            message: message.into(),
            line: start.map(|p| p.line),
            column: start.map(|p| p.column),
            end_line: end.map(|p| p.line),
            end_column: end.map(|p| p.column),
            help: None,
        }
    }

    /// The same finding with a fix to suggest.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this finding refuses the input.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The human text form, with the source line and a caret when `source` is given:
    ///
    /// ```text
    /// error[Z201]: spec.delivery: value "canary" is reserved …
    ///   --> zave.yaml:7:13
    ///    |
    ///  7 |   delivery: canary
    ///    |             ^^^^^^
    ///    = help: zave.io/v1 implements: rolling
    /// ```
    pub fn to_text(&self, file_name: &str, source: Option<&str>, style: TextStyle) -> String {
        let mut out = String::new();
        let (level, colour) = match self.severity {
            Severity::Error => ("error", RED),
            Severity::Warning => ("warning", YELLOW),
        };
        let paint = |text: &str, colour: &str| -> String {
            match style {
                TextStyle::Plain => text.to_owned(),
                TextStyle::Ansi => format!("{colour}{text}{RESET}"),
            }
        };
        let head = paint(&format!("{level}[{}]", self.code), colour);
        let _ = write!(out, "{head}: ");
        if !self.path.is_empty() {
            let _ = write!(out, "{}: ", self.path);
        }
        let _ = writeln!(out, "{}", self.message);
        let arrow = paint("-->", BLUE);
        let gutter = " ".repeat(self.line.map_or(1, |line| line.to_string().len()));
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                let _ = writeln!(out, "  {arrow} {file_name}:{line}:{column}");
                if let Some(snippet) = source.and_then(|s| self.snippet(s, line, column)) {
                    let bar = paint("|", BLUE);
                    let _ = writeln!(out, " {gutter} {bar}");
                    let _ = writeln!(
                        out,
                        " {} {bar} {}",
                        paint(&line.to_string(), BLUE),
                        snippet.0
                    );
                    let _ = writeln!(out, " {gutter} {bar} {}", paint(&snippet.1, colour));
                }
            }
            _ => {
                let _ = writeln!(out, "  {arrow} {file_name}");
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, " {gutter} = help: {help}");
        }
        out
    }

    /// The offending source line (control characters shown as spaces, long lines cut to a
    /// window around the node) and the caret line under the node.
    fn snippet(&self, source: &str, line: u32, column: u32) -> Option<(String, String)> {
        const WINDOW: usize = 100;
        const LEAD: usize = 40;
        let text = source
            .lines()
            .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let chars: Vec<char> = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let width = chars.len();
        let start = usize::try_from(column).ok()?.saturating_sub(1).min(width);
        let end = match (self.end_line, self.end_column) {
            (Some(end_line), Some(end_column)) if end_line == line => usize::try_from(end_column)
                .ok()?
                .saturating_sub(1)
                .min(width),
            _ => width,
        };
        let from = if width > WINDOW {
            start.saturating_sub(LEAD)
        } else {
            0
        };
        let to = (from + WINDOW).min(width);
        let mut shown: String = chars[from..to].iter().collect();
        let mut offset = start - from;
        if from > 0 {
            shown.insert(0, '…');
            offset += 1;
        }
        if to < width {
            shown.push('…');
        }
        let carets = "^".repeat(end.min(to).saturating_sub(start).max(1));
        Some((
            shown.trim_end().to_owned(),
            format!("{}{carets}", " ".repeat(offset)),
        ))
    }
}

/// Whether text output carries ANSI colour (for a terminal) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    /// No escape sequences.
    Plain,
    /// ANSI colours, for a terminal.
    Ansi,
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

/// Sorts findings by source position, then code and path, so output never depends on the
/// order rules ran in. Findings without a position come first.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.line, a.column, a.code, &a.path, &a.message)
            .cmp(&(b.line, b.column, b.code, &b.path, &b.message))
    });
}

/// The findings that refused an input, as an error value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.0))]
pub struct Diagnostics(pub Vec<Diagnostic>);

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let first = diagnostics.iter().find(|d| d.is_error());
    match first {
        Some(d) if errors == 1 => format!("{}: {}", d.code, d.message),
        Some(d) => format!(
            "{} ({} more errors)",
            d.code.as_str().to_owned() + ": " + &d.message,
            errors - 1
        ),
        None => "no errors".to_owned(),
    }
}

impl Diagnostics {
    /// The whole report as text, one finding after another.
    pub fn to_text(&self, file_name: &str, source: Option<&str>, style: TextStyle) -> String {
        self.0
            .iter()
            .map(|d| d.to_text(file_name, source, style))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
