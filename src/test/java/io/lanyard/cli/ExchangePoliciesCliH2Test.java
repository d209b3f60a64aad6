package io.lanyard.cli;

import io.lanyard.testing.TestDatabases;

class ExchangePoliciesCliH2Test extends ExchangePoliciesCliSuite {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
