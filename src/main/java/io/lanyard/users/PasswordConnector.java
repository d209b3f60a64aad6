package io.lanyard.users;

/**
 * A directory that checks a typed username and password itself (LDAP, Active Directory): a
 * password connector shares the login form with Lanyard's own users.
 */
public non-sealed interface PasswordConnector extends Connector {

    /** The directory's verdict on a typed username and password. */
    Login login(String username, String password) throws ConnectorUnavailableException;

    /**
     * The person as the directory has them now, found by the username they logged in with, without
     * their password: a refresh re-checks that they still exist and what groups they are in.
     */
    Login lookup(String username) throws ConnectorUnavailableException;

    /** What a directory answered. */
    sealed interface Login permits Accepted, Refused {
    }

    /** The person, as the directory describes them. */
    record Accepted(UpstreamIdentity identity) implements Login {
    }

    /** No such person, or a wrong or empty password: the login page says the same for each. */
    record Refused(String reason) implements Login {
    }
}
