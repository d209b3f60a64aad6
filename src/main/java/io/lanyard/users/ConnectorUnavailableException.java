package io.lanyard.users;

/**
 * An upstream directory or provider did not answer in time, refused the service account, or answered
 * in a way the connector cannot use. The person may try again; nothing is concluded about them.
 */
public class ConnectorUnavailableException extends Exception {
    public ConnectorUnavailableException(String message) {
        super(message, null, false, false);
    }
}
