package io.lanyard.cli;

import io.lanyard.testing.TestDatabases;

class UsersCliH2Test extends UsersCliSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
