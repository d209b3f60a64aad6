package io.lanyard.users;

/**
 * An upstream people log in through: a directory that checks passwords ({@link PasswordConnector}) or
 * a provider the browser is sent to ({@link RedirectConnector}).
 */
public sealed interface Connector permits PasswordConnector, RedirectConnector {

    /** The connector's id from the declarative file: part of its users' {@code sub}, never reused. */
    String id();
}
