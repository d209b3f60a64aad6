package io.lanyard.users;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Argon2id cost for new password hashes; README "Configuration" gives the OWASP rationale.
 * Hashes made with other values still verify and are rehashed with these at the next login.
 *
 * @param memoryKib   memory per hash in KiB (OWASP: 19456, i.e. 19 MiB)
 * @param iterations  passes over that memory (OWASP: 2)
 * @param parallelism lanes (OWASP: 1; Bouncy Castle computes lanes one after another anyway)
 */
@ConfigurationProperties("lanyard.passwords")
public record PasswordProperties(
        @Bindable(defaultValue = "19456") int memoryKib,
        @Bindable(defaultValue = "2") int iterations,
        @Bindable(defaultValue = "1") int parallelism) {
}
