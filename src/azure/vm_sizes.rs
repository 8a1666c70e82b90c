//! Azure VM sizes that Azure ML computes and deployments use, with their hardware.
//!
//! A misspelled `vm_size` is only caught by Azure when the compute is created, after the rest
//! of the plan has been applied. The catalogue lets the checker warn on unknown sizes with a
//! "did you mean" suggestion, lets GPU checks know how many GPUs a size has, and is where the
//! cost estimate will attach prices.
//!
//! The catalogue is not exhaustive: Azure adds sizes often, so an unknown size is a warning,
//! never an error. Callers go through [`lookup`], [`is_known`] and [`closest`] so the storage
//! can change (for example to a generated table) without touching them.
//!
//! Specs are Azure's published figures: vCPUs, memory in GiB, GPU count and model. Sizes that
//! give a VM a fraction of a GPU are left out, since `gpus` counts whole GPUs.

/// One Azure VM size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VmSize {
    /// The canonical ARM spelling, e.g. `Standard_NC24s_v3`.
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_gib: f64,
    /// Whole GPUs attached; 0 for CPU-only sizes.
    pub gpus: u32,
    pub gpu_model: Option<&'static str>,
}

const fn cpu(name: &'static str, vcpus: u32, memory_gib: f64) -> VmSize {
    VmSize {
        name,
        vcpus,
        memory_gib,
        gpus: 0,
        gpu_model: None,
    }
}

const fn gpu(
    name: &'static str,
    vcpus: u32,
    memory_gib: f64,
    gpus: u32,
    model: &'static str,
) -> VmSize {
    VmSize {
        name,
        vcpus,
        memory_gib,
        gpus,
        gpu_model: Some(model),
    }
}

/// The known sizes, grouped by family.
pub static VM_SIZES: &[VmSize] = &[
    // Dv2 and DSv2: general purpose (D1-D5) and memory optimised (D11-D15), Intel.
    cpu("Standard_D1_v2", 1, 3.5),
    cpu("Standard_D2_v2", 2, 7.0),
    cpu("Standard_D3_v2", 4, 14.0),
    cpu("Standard_D4_v2", 8, 28.0),
    cpu("Standard_D5_v2", 16, 56.0),
    cpu("Standard_D11_v2", 2, 14.0),
    cpu("Standard_D12_v2", 4, 28.0),
    cpu("Standard_D13_v2", 8, 56.0),
    cpu("Standard_D14_v2", 16, 112.0),
    cpu("Standard_D15_v2", 20, 140.0),
    cpu("Standard_DS1_v2", 1, 3.5),
    cpu("Standard_DS2_v2", 2, 7.0),
    cpu("Standard_DS3_v2", 4, 14.0),
    cpu("Standard_DS4_v2", 8, 28.0),
    cpu("Standard_DS5_v2", 16, 56.0),
    cpu("Standard_DS11_v2", 2, 14.0),
    cpu("Standard_DS12_v2", 4, 28.0),
    cpu("Standard_DS13_v2", 8, 56.0),
    cpu("Standard_DS14_v2", 16, 112.0),
    cpu("Standard_DS15_v2", 20, 140.0),
    // Dv3 and Dsv3: 4 GiB per vCPU.
    cpu("Standard_D2_v3", 2, 8.0),
    cpu("Standard_D4_v3", 4, 16.0),
    cpu("Standard_D8_v3", 8, 32.0),
    cpu("Standard_D16_v3", 16, 64.0),
    cpu("Standard_D32_v3", 32, 128.0),
    cpu("Standard_D48_v3", 48, 192.0),
    cpu("Standard_D64_v3", 64, 256.0),
    cpu("Standard_D2s_v3", 2, 8.0),
    cpu("Standard_D4s_v3", 4, 16.0),
    cpu("Standard_D8s_v3", 8, 32.0),
    cpu("Standard_D16s_v3", 16, 64.0),
    cpu("Standard_D32s_v3", 32, 128.0),
    cpu("Standard_D48s_v3", 48, 192.0),
    cpu("Standard_D64s_v3", 64, 256.0),
    // Dv4 and Dsv4: 4 GiB per vCPU.
    cpu("Standard_D2_v4", 2, 8.0),
    cpu("Standard_D4_v4", 4, 16.0),
    cpu("Standard_D8_v4", 8, 32.0),
    cpu("Standard_D16_v4", 16, 64.0),
    cpu("Standard_D32_v4", 32, 128.0),
    cpu("Standard_D48_v4", 48, 192.0),
    cpu("Standard_D64_v4", 64, 256.0),
    cpu("Standard_D2s_v4", 2, 8.0),
    cpu("Standard_D4s_v4", 4, 16.0),
    cpu("Standard_D8s_v4", 8, 32.0),
    cpu("Standard_D16s_v4", 16, 64.0),
    cpu("Standard_D32s_v4", 32, 128.0),
    cpu("Standard_D48s_v4", 48, 192.0),
    cpu("Standard_D64s_v4", 64, 256.0),
    // Dv5, Dsv5, Ddv5 and Ddsv5: 4 GiB per vCPU.
    cpu("Standard_D2_v5", 2, 8.0),
    cpu("Standard_D4_v5", 4, 16.0),
    cpu("Standard_D8_v5", 8, 32.0),
    cpu("Standard_D16_v5", 16, 64.0),
    cpu("Standard_D32_v5", 32, 128.0),
    cpu("Standard_D48_v5", 48, 192.0),
    cpu("Standard_D64_v5", 64, 256.0),
    cpu("Standard_D96_v5", 96, 384.0),
    cpu("Standard_D2s_v5", 2, 8.0),
    cpu("Standard_D4s_v5", 4, 16.0),
    cpu("Standard_D8s_v5", 8, 32.0),
    cpu("Standard_D16s_v5", 16, 64.0),
    cpu("Standard_D32s_v5", 32, 128.0),
    cpu("Standard_D48s_v5", 48, 192.0),
    cpu("Standard_D64s_v5", 64, 256.0),
    cpu("Standard_D96s_v5", 96, 384.0),
    cpu("Standard_D2d_v5", 2, 8.0),
    cpu("Standard_D4d_v5", 4, 16.0),
    cpu("Standard_D8d_v5", 8, 32.0),
    cpu("Standard_D16d_v5", 16, 64.0),
    cpu("Standard_D32d_v5", 32, 128.0),
    cpu("Standard_D48d_v5", 48, 192.0),
    cpu("Standard_D64d_v5", 64, 256.0),
    cpu("Standard_D96d_v5", 96, 384.0),
    cpu("Standard_D2ds_v5", 2, 8.0),
    cpu("Standard_D4ds_v5", 4, 16.0),
    cpu("Standard_D8ds_v5", 8, 32.0),
    cpu("Standard_D16ds_v5", 16, 64.0),
    cpu("Standard_D32ds_v5", 32, 128.0),
    cpu("Standard_D48ds_v5", 48, 192.0),
    cpu("Standard_D64ds_v5", 64, 256.0),
    cpu("Standard_D96ds_v5", 96, 384.0),
    // Fsv2: compute optimised, 2 GiB per vCPU.
    cpu("Standard_F2s_v2", 2, 4.0),
    cpu("Standard_F4s_v2", 4, 8.0),
    cpu("Standard_F8s_v2", 8, 16.0),
    cpu("Standard_F16s_v2", 16, 32.0),
    cpu("Standard_F32s_v2", 32, 64.0),
    cpu("Standard_F48s_v2", 48, 96.0),
    cpu("Standard_F64s_v2", 64, 128.0),
    cpu("Standard_F72s_v2", 72, 144.0),
    // Ev3 and Esv3: memory optimised.
    cpu("Standard_E2_v3", 2, 16.0),
    cpu("Standard_E4_v3", 4, 32.0),
    cpu("Standard_E8_v3", 8, 64.0),
    cpu("Standard_E16_v3", 16, 128.0),
    cpu("Standard_E20_v3", 20, 160.0),
    cpu("Standard_E32_v3", 32, 256.0),
    cpu("Standard_E48_v3", 48, 384.0),
    cpu("Standard_E64_v3", 64, 432.0),
    cpu("Standard_E2s_v3", 2, 16.0),
    cpu("Standard_E4s_v3", 4, 32.0),
    cpu("Standard_E8s_v3", 8, 64.0),
    cpu("Standard_E16s_v3", 16, 128.0),
    cpu("Standard_E20s_v3", 20, 160.0),
    cpu("Standard_E32s_v3", 32, 256.0),
    cpu("Standard_E48s_v3", 48, 384.0),
    cpu("Standard_E64s_v3", 64, 432.0),
    // Ev4 and Esv4: memory optimised.
    cpu("Standard_E2_v4", 2, 16.0),
    cpu("Standard_E4_v4", 4, 32.0),
    cpu("Standard_E8_v4", 8, 64.0),
    cpu("Standard_E16_v4", 16, 128.0),
    cpu("Standard_E20_v4", 20, 160.0),
    cpu("Standard_E32_v4", 32, 256.0),
    cpu("Standard_E48_v4", 48, 384.0),
    cpu("Standard_E64_v4", 64, 504.0),
    cpu("Standard_E2s_v4", 2, 16.0),
    cpu("Standard_E4s_v4", 4, 32.0),
    cpu("Standard_E8s_v4", 8, 64.0),
    cpu("Standard_E16s_v4", 16, 128.0),
    cpu("Standard_E20s_v4", 20, 160.0),
    cpu("Standard_E32s_v4", 32, 256.0),
    cpu("Standard_E48s_v4", 48, 384.0),
    cpu("Standard_E64s_v4", 64, 504.0),
    // Ev5 and Esv5: memory optimised.
    cpu("Standard_E2_v5", 2, 16.0),
    cpu("Standard_E4_v5", 4, 32.0),
    cpu("Standard_E8_v5", 8, 64.0),
    cpu("Standard_E16_v5", 16, 128.0),
    cpu("Standard_E20_v5", 20, 160.0),
    cpu("Standard_E32_v5", 32, 256.0),
    cpu("Standard_E48_v5", 48, 384.0),
    cpu("Standard_E64_v5", 64, 512.0),
    cpu("Standard_E96_v5", 96, 672.0),
    cpu("Standard_E2s_v5", 2, 16.0),
    cpu("Standard_E4s_v5", 4, 32.0),
    cpu("Standard_E8s_v5", 8, 64.0),
    cpu("Standard_E16s_v5", 16, 128.0),
    cpu("Standard_E20s_v5", 20, 160.0),
    cpu("Standard_E32s_v5", 32, 256.0),
    cpu("Standard_E48s_v5", 48, 384.0),
    cpu("Standard_E64s_v5", 64, 512.0),
    cpu("Standard_E96s_v5", 96, 672.0),
    // NC: NVIDIA K80 (retired by Azure in 2023; kept so old manifests get a precise message).
    gpu("Standard_NC6", 6, 56.0, 1, "NVIDIA K80"),
    gpu("Standard_NC12", 12, 112.0, 2, "NVIDIA K80"),
    gpu("Standard_NC24", 24, 224.0, 4, "NVIDIA K80"),
    gpu("Standard_NC24r", 24, 224.0, 4, "NVIDIA K80"),
    // NCv3: NVIDIA V100 16 GB.
    gpu("Standard_NC6s_v3", 6, 112.0, 1, "NVIDIA V100 16GB"),
    gpu("Standard_NC12s_v3", 12, 224.0, 2, "NVIDIA V100 16GB"),
    gpu("Standard_NC24s_v3", 24, 448.0, 4, "NVIDIA V100 16GB"),
    gpu("Standard_NC24rs_v3", 24, 448.0, 4, "NVIDIA V100 16GB"),
    // NCasT4_v3: NVIDIA T4 16 GB, AMD CPUs.
    gpu("Standard_NC4as_T4_v3", 4, 28.0, 1, "NVIDIA T4"),
    gpu("Standard_NC8as_T4_v3", 8, 56.0, 1, "NVIDIA T4"),
    gpu("Standard_NC16as_T4_v3", 16, 110.0, 1, "NVIDIA T4"),
    gpu("Standard_NC64as_T4_v3", 64, 440.0, 4, "NVIDIA T4"),
    // NC A100 v4: NVIDIA A100 80 GB PCIe.
    gpu("Standard_NC24ads_A100_v4", 24, 220.0, 1, "NVIDIA A100 80GB"),
    gpu("Standard_NC48ads_A100_v4", 48, 440.0, 2, "NVIDIA A100 80GB"),
    gpu("Standard_NC96ads_A100_v4", 96, 880.0, 4, "NVIDIA A100 80GB"),
    // NC H100 v5: NVIDIA H100 NVL 94 GB.
    gpu(
        "Standard_NC40ads_H100_v5",
        40,
        320.0,
        1,
        "NVIDIA H100 NVL 94GB",
    ),
    gpu(
        "Standard_NC80adis_H100_v5",
        80,
        640.0,
        2,
        "NVIDIA H100 NVL 94GB",
    ),
    // NDv2: 8x NVIDIA V100 32 GB, NVLink.
    gpu("Standard_ND40rs_v2", 40, 672.0, 8, "NVIDIA V100 32GB"),
    // ND A100 v4 and NDm A100 v4: 8x NVIDIA A100 (40 GB / 80 GB), InfiniBand.
    gpu("Standard_ND96asr_v4", 96, 900.0, 8, "NVIDIA A100 40GB"),
    gpu(
        "Standard_ND96amsr_A100_v4",
        96,
        1900.0,
        8,
        "NVIDIA A100 80GB",
    ),
    // ND H100 v5: 8x NVIDIA H100 80 GB, InfiniBand.
    gpu(
        "Standard_ND96isr_H100_v5",
        96,
        1900.0,
        8,
        "NVIDIA H100 80GB",
    ),
    // NVv3: NVIDIA Tesla M60 (visualisation).
    gpu("Standard_NV12s_v3", 12, 112.0, 1, "NVIDIA M60"),
    gpu("Standard_NV24s_v3", 24, 224.0, 2, "NVIDIA M60"),
    gpu("Standard_NV48s_v3", 48, 448.0, 4, "NVIDIA M60"),
    // NVadsA10_v5, whole-GPU sizes only (the smaller sizes get a fraction of an A10).
    gpu("Standard_NV36ads_A10_v5", 36, 440.0, 1, "NVIDIA A10"),
    gpu("Standard_NV72ads_A10_v5", 72, 880.0, 2, "NVIDIA A10"),
];

/// The size with this name, ignoring ASCII case (Azure ML accepts `STANDARD_DS3_V2`).
pub fn lookup(name: &str) -> Option<&'static VmSize> {
    VM_SIZES.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// Whether `name` is a known size (ignoring case).
pub fn is_known(name: &str) -> bool {
    lookup(name).is_some()
}

/// Up to `n` known size names most similar to `name`, best first, for a "did you mean" hint.
///
/// Similarity is the normalised Damerau-Levenshtein similarity of the lowercased names without
/// the `Standard_` prefix, so `NC6s_v3` finds `Standard_NC6s_v3` and a one-character slip in a
/// short name still ranks first; a name that is the start of a known one (`Standard_E8s`) counts
/// as close. Sizes below a similarity floor are left out, so nonsense input gets no suggestions.
pub fn closest(name: &str, n: usize) -> Vec<&'static str> {
    const THRESHOLD: f64 = 0.6;
    let wanted = name.to_ascii_lowercase();
    let wanted = strip_prefix(&wanted);
    if wanted.len() > crate::suggest::MAX_WORD {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &'static str)> = VM_SIZES
        .iter()
        .map(|s| {
            let candidate = s.name.to_ascii_lowercase();
            let candidate = strip_prefix(&candidate);
            let mut score = strsim::normalized_damerau_levenshtein(wanted, candidate);
            // A truncated name (`E8s` for `E8s_v3`) is a likely slip however much is missing.
            if wanted.len() >= 3 && candidate.starts_with(wanted) {
                let covered = wanted.len() as f64 / candidate.len() as f64;
                score = score.max(0.6 + 0.4 * covered);
            }
            (score, s.name)
        })
        .filter(|(score, _)| *score >= THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, name)| name).collect()
}

fn strip_prefix(lower: &str) -> &str {
    lower.strip_prefix("standard_").unwrap_or(lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_is_well_formed() {
        let mut seen = HashSet::new();
        for s in VM_SIZES {
            assert!(s.name.starts_with("Standard_"), "{}", s.name);
            assert!(
                seen.insert(s.name.to_ascii_lowercase()),
                "duplicate {}",
                s.name
            );
            assert!(s.vcpus > 0 && s.memory_gib > 0.0, "{}", s.name);
            assert_eq!(s.gpus > 0, s.gpu_model.is_some(), "{}", s.name);
            assert!(!s.name.contains(' '), "{}", s.name);
        }
    }

    #[test]
    fn well_known_specs() {
        let check = |name: &str, vcpus: u32, mem: f64, gpus: u32| {
            let s = lookup(name).unwrap_or_else(|| panic!("missing {name}"));
            assert_eq!(
                (s.vcpus, s.memory_gib, s.gpus),
                (vcpus, mem, gpus),
                "{name}"
            );
        };
        check("Standard_DS3_v2", 4, 14.0, 0);
        check("Standard_D4s_v3", 4, 16.0, 0);
        check("Standard_E4s_v3", 4, 32.0, 0);
        check("Standard_F4s_v2", 4, 8.0, 0);
        check("Standard_NC6s_v3", 6, 112.0, 1);
        check("Standard_NC24s_v3", 24, 448.0, 4);
        check("Standard_NC4as_T4_v3", 4, 28.0, 1);
        check("Standard_NC24ads_A100_v4", 24, 220.0, 1);
        check("Standard_ND96asr_v4", 96, 900.0, 8);
        check("Standard_ND96isr_H100_v5", 96, 1900.0, 8);
        assert_eq!(
            lookup("Standard_NC24s_v3").unwrap().gpu_model,
            Some("NVIDIA V100 16GB")
        );
    }

    #[test]
    fn sizes_the_cost_table_prices_are_known() {
        for name in [
            "Standard_DS3_v2",
            "Standard_D4s_v3",
            "Standard_E4s_v3",
            "Standard_F4s_v2",
            "Standard_NC6s_v3",
            "Standard_NC24s_v3",
            "Standard_NC4as_T4_v3",
            "Standard_NC24ads_A100_v4",
            "Standard_ND96asr_v4",
            "Standard_ND96isr_H100_v5",
        ] {
            assert!(is_known(name), "{name}");
        }
    }

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(lookup("STANDARD_DS3_V2").unwrap().name, "Standard_DS3_v2");
        assert_eq!(
            lookup("standard_nc24s_v3").unwrap().name,
            "Standard_NC24s_v3"
        );
        assert!(is_known("Standard_F4S_V2"));
    }

    #[test]
    fn unknown_sizes() {
        assert!(lookup("").is_none());
        assert!(!is_known("Standard_DS3_v9"));
        assert!(!is_known("DS3_v2"));
        assert!(!is_known(" Standard_DS3_v2"));
    }

    #[test]
    fn closest_suggests_near_misses() {
        assert_eq!(closest("Standard_DS3v2", 1), ["Standard_DS3_v2"]);
        assert_eq!(closest("Standard_NC6s_v4", 3)[0], "Standard_NC6s_v3");
        assert_eq!(closest("NC6s_v3", 1), ["Standard_NC6s_v3"]);
        assert_eq!(
            closest("Standard_E8s", 3),
            ["Standard_E8s_v3", "Standard_E8s_v4", "Standard_E8s_v5"]
        );
        assert_eq!(
            closest("standard_nc24ads_a100", 1),
            ["Standard_NC24ads_A100_v4"]
        );
        let three = closest("Standard_D4s_v6", 3);
        assert_eq!(three.len(), 3);
        assert!(three.contains(&"Standard_D4s_v5"), "{three:?}");
    }

    #[test]
    fn closest_respects_n_and_floor() {
        assert!(closest("Standard_DS3v2", 0).is_empty());
        assert!(closest("hello world", 5).is_empty());
        assert!(closest("", 5).is_empty());
        assert!(closest("Standard_D", 200).len() <= VM_SIZES.len());
    }
}
