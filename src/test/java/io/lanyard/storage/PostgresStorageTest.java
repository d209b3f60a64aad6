package io.lanyard.storage;

import io.lanyard.testing.TestDatabases;

class PostgresStorageTest extends StorageSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
