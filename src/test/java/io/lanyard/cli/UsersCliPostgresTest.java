package io.lanyard.cli;

import io.lanyard.testing.TestDatabases;

class UsersCliPostgresTest extends UsersCliSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
