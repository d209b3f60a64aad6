package io.lanyard.oauth;

import java.time.Duration;

/**
 * The one tolerance for clocks that disagree: between replicas, and between Lanyard and those who
 * sign or verify tokens ({@code exp}, {@code nbf}, {@code iat} of assertions and trusted issuers'
 * tokens; how long a key stays published after its last token).
 */
public final class ClockSkew {
    public static final Duration TOLERANCE = Duration.ofSeconds(30);

    private ClockSkew() {
    }
}
