package io.lanyard.clients;

import io.lanyard.testing.TestDatabases;

class PrivateKeyJwtClientsH2Test extends PrivateKeyJwtClientsSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
