package io.lanyard.storage;

import io.lanyard.testing.TestDatabases;

class H2StorageTest extends StorageSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
