package io.lanyard.users;

import io.lanyard.testing.TestDatabases;

class UsersPostgresTest extends UsersStorageSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
