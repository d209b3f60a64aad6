package io.lanyard.admin;

import io.lanyard.testing.TestDatabases;

class UsersConfigH2Test extends UsersConfigSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
