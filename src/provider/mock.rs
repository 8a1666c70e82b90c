//! The mock provider: the in-process [`emulator`](super::emulator) behind the same
//! [`ArmClient`] a real provider uses, so retries, long-running operations and error mapping
//! run exactly as they would against ARM.

use std::path::Path;
use std::sync::Arc;

use super::client::{ArmClient, ClientOptions};
use super::emulator::{EmulatorOptions, MockCloud};
use super::{Provider, ProviderDefaults, Transport};
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;

pub struct MockProvider {
    cloud: MockCloud,
    client: ArmClient,
}

impl MockProvider {
    /// The mock cloud persisted at `path` (empty if the file does not exist yet).
    ///
    /// Time passed since the last run: operations a killed run left in flight have finished
    /// by now, as they would have in ARM.
    pub fn open(path: &Path, options: EmulatorOptions) -> Result<MockProvider, Diagnostic> {
        let cloud = MockCloud::open(path, options).map_err(|e| diag::mock_cloud_unusable(&e))?;
        {
            let mut emulator = cloud.lock();
            let now = emulator.clock();
            emulator.settle_all(now);
        }
        // The emulator's waits are logical: no need to really sleep between polls.
        Ok(MockProvider::over(cloud, ClientOptions::instant()))
    }

    /// A provider over an already open cloud (tests, benchmarks).
    pub fn over(cloud: MockCloud, options: ClientOptions) -> MockProvider {
        let transport: Arc<dyn Transport> = Arc::new(cloud.clone());
        MockProvider {
            client: ArmClient::new(transport, options),
            cloud,
        }
    }

    pub fn cloud(&self) -> &MockCloud {
        &self.cloud
    }
}

impl Provider for MockProvider {
    fn client(&self) -> &ArmClient {
        &self.client
    }

    fn defaults(&self) -> ProviderDefaults {
        defaults()
    }

    fn finish(&self) -> Result<(), Diagnostic> {
        self.cloud.save().map_err(|e| diag::mock_cloud_unusable(&e))
    }
}

/// The mock provider's defaults: its fixed tenant.
pub fn defaults() -> ProviderDefaults {
    ProviderDefaults {
        tenant_id: Some(super::emulator::tenant_id()),
    }
}
