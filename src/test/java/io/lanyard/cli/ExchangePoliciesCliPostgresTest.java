package io.lanyard.cli;

import io.lanyard.testing.TestDatabases;

class ExchangePoliciesCliPostgresTest extends ExchangePoliciesCliSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
