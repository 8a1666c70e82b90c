//! The table of diagnostic codes.
//!
//! Codes are stable: once published, a code keeps its meaning forever (a retired code is kept
//! and marked so). `E` codes are errors, `W` codes warnings. The hundreds digit groups them by
//! stage: 01 loading and syntax, 02 structure, 03 expressions, 04 variables, 05 values and
//! types, 06 references and the graph, 07 resource constraints, 08 modules, 09 planning and
//! applying, 10 the security review, W01 advisories.
//! The long explanation of each code (`amlplan explain CODE`) is `docs/codes/<CODE>.md`.

use crate::diagnostic::Severity;

macro_rules! codes {
    ($( $variant:ident => $title:literal ),* $(,)?) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant ),* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant ),* ];

            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => stringify!($variant) ),* }
            }

            /// A one-line summary.
            pub fn title(self) -> &'static str {
                match self { $( Code::$variant => $title ),* }
            }

            /// The long explanation with an example (markdown).
            pub fn explanation(self) -> &'static str {
                match self {
                    $( Code::$variant => include_str!(concat!("../../docs/codes/", stringify!($variant), ".md")) ),*
                }
            }
        }
    };
}

codes! {
    // 01: loading and syntax
    E0101 => "syntax error",
    E0102 => "cannot read a file or directory",
    E0103 => "no manifest files",
    E0105 => "var file holds something other than variable values",
    E0106 => "price file unreadable",
    E0107 => "unknown key or bad value in a price file",
    // 02: structure
    E0201 => "unknown block type",
    E0202 => "wrong number of block labels",
    E0203 => "unknown attribute",
    E0204 => "unknown nested block",
    E0205 => "missing required attribute",
    E0206 => "duplicate declaration",
    E0207 => "duplicate attribute",
    E0208 => "missing or repeated `azure` block",
    E0209 => "nested block given too few or too many times",
    E0210 => "`azure` setting known only after apply",
    E0211 => "two resources would be the same Azure resource",
    // 03: expressions
    E0301 => "undefined variable",
    E0302 => "undefined local value",
    E0303 => "unknown function",
    E0304 => "invalid function arguments",
    E0305 => "type error in an expression",
    E0306 => "invalid index or attribute access",
    E0307 => "file() cannot read a file",
    E0308 => "invalid for_each or count",
    E0309 => "each or count used outside a repeated block",
    E0310 => "cycle among locals or outputs",
    E0311 => "unknown name in an expression",
    E0312 => "evaluation nested too deeply",
    E0313 => "value nested too deeply",
    E0314 => "ambiguous object key",
    E0315 => "function refused because its result is not deterministic",
    E0316 => "state journal damaged before its end",
    E0319 => "too many module instances",
    // 04: variables
    E0401 => "variable value does not match its type",
    E0402 => "variable validation failed",
    E0403 => "required variable not set",
    E0404 => "invalid type expression",
    E0405 => "value given for an undeclared variable",
    E0406 => "invalid --var argument",
    // 05: values and types
    E0501 => "attribute has the wrong type",
    E0502 => "value not among the allowed values",
    E0503 => "enum value written in ARM spelling",
    E0504 => "invalid duration",
    E0505 => "invalid or wrong-type ARM resource ID",
    E0506 => "invalid GUID",
    E0507 => "invalid name",
    E0508 => "value out of range",
    E0509 => "sensitive value where it would be shown",
    // 06: references and the graph
    E0601 => "reference to an undefined resource",
    E0602 => "reference to the wrong kind of resource",
    E0603 => "dependency cycle",
    E0604 => "reference to an unknown attribute",
    E0605 => "invalid depends_on entry",
    // 07: resource constraints
    E0701 => "minimum greater than maximum",
    E0703 => "traffic names a deployment that is not of this endpoint",
    E0704 => "traffic does not sum to 100",
    E0705 => "mirror traffic above 50 percent",
    E0706 => "FQDN outbound rule without approved-outbound isolation",
    E0707 => "invalid service-tag rule",
    E0708 => "private-endpoint sub-resource not valid for its target",
    E0709 => "unknown role",
    E0710 => "outbound rule attributes do not match its type",
    E0711 => "lifecycle names an unknown attribute",
    E0712 => "compute in a custom subnet under a managed network",
    E0713 => "compute without a public IP has no network",
    E0714 => "endpoint or deployment outside its workspace's region",
    E0715 => "attribute sets a read-only ARM property",
    E0716 => "purge-protected key vault would be replaced at the same name",
    E0725 => "datastore secret does not match its credentials",
    E0726 => "path names an undeclared datastore",
    E0727 => "instance type not declared by the cluster",
    E0728 => "an endpoint's deployments run on different computes",
    E0729 => "asset version in both or neither of a workspace and a registry",
    E0730 => "component without a version",
    E0731 => "component environment is not a reference Azure ML resolves",
    E0732 => "placeholder names an undeclared input or output",
    E0733 => "invalid component definition",
    E0734 => "schedule trigger missing, doubled or invalid",
    E0735 => "invalid cron expression",
    E0736 => "job names an asset the manifest does not declare",
    E0737 => "job binds a step or output that does not exist",
    E0738 => "job binds a pipeline input that is not declared",
    E0739 => "job compute is not a cluster of the workspace",
    E0740 => "invalid pipeline job file",
    E0741 => "budget date is not one Azure takes",
    E0742 => "budget scope is not a subscription or resource group",
    E0743 => "budget alert reaches no one",
    E0744 => "monitor signal metric is not one of its type",
    E0745 => "prediction drift signal with features",
    E0746 => "monitor watches a deployment of another workspace",
    E0747 => "data collection sampling rate outside 0 to 1",
    E0748 => "data collection asset is not a uri_folder of the deployment's workspace",
    E0749 => "request headers captured without payload logging",
    // 08: modules
    E0801 => "module source not found",
    E0802 => "unknown module input",
    E0803 => "missing required module input",
    E0804 => "module input has the wrong type",
    E0805 => "module includes itself",
    E0806 => "unknown module output",
    E0807 => "block not allowed in a module",
    // 09: planning and applying
    E0901 => "asset version content changed",
    E0902 => "plan would destroy a protected resource",
    E0903 => "saved plan is stale",
    E0904 => "state file cannot be used",
    E0905 => "state is locked",
    E0906 => "ARM request failed",
    E0907 => "invalid plan file",
    E0908 => "mock cloud file cannot be used",
    E0909 => "cannot start the async runtime",
    E0910 => "invalid mock provider options",
    E0911 => "cannot write the plan file",
    E0912 => "confirmation needed",
    E0913 => "output known only after apply",
    E0914 => "no such output",
    E0915 => "address not in the state",
    E0916 => "unknown diagnostic code",
    E0917 => "cannot write a manifest file",
    E0918 => "value known after apply not resolved",
    E0919 => "price cache cannot be used",
    E0922 => "forecast above budget",
    E0923 => "plan over budget not applied",
    E0924 => "budget currency differs from the prices'",
    E0925 => "invalid Azure provider settings",
    E0926 => "no Azure credential",
    E0927 => "the emulator cannot start",
    E0928 => "state blob request failed",
    E0929 => "state blob container does not exist",
    E0930 => "state blob changed since it was read",
    E0931 => "state blob lease lost",
    E0932 => "azure_blob backend cannot be used",
    E0950 => "cannot reach the Retail Prices API",
    E0951 => "the Retail Prices API answered an error",
    E0952 => "not a Retail Prices API answer",
    E0953 => "cannot write the price cache",
    E0954 => "invalid prices update options",
    E0990 => "internal error",
    // 10: the security review
    E1001 => "review findings at or above fail_on",
    E1002 => "plan with review findings not applied",
    // W01: advisories
    W0101 => "low-priority VMs are retired",
    W0102 => "unknown VM size",
    W0103 => "state journal end unreadable, ignored",
    W0104 => "reservation on compute that is not always on",
    W0105 => "forecast above a budget's warn_at",
    W0106 => "budget checked against unpriced lines",
    W0109 => "monitor reads data its deployment does not collect",
    W0110 => "suppression names an unknown review rule",
    W0111 => "ignore block names no resource",
}

impl Code {
    pub fn default_severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
