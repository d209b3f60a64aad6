package io.lanyard.users;

import io.lanyard.testing.TestDatabases;

class UsersH2Test extends UsersStorageSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
