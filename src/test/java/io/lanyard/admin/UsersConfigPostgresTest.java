package io.lanyard.admin;

import io.lanyard.testing.TestDatabases;

class UsersConfigPostgresTest extends UsersConfigSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
