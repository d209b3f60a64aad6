package io.lanyard.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * @param timeout the longest a request waits for the database ({@code LANYARD_DB_TIMEOUT}): for a pooled
 *                connection, for a new one to log in, and for any one answer on it. A database that refuses
 *                connections, or accepts them and never answers, costs a request at most about this long
 *                before it gets a 503; whole seconds, at least one
 */
@ConfigurationProperties("lanyard.db")
public record DatabaseProperties(@Bindable(defaultValue = "2s") Duration timeout) {
}
