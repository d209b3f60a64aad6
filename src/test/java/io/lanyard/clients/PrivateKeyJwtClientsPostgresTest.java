package io.lanyard.clients;

import io.lanyard.testing.TestDatabases;

class PrivateKeyJwtClientsPostgresTest extends PrivateKeyJwtClientsSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
