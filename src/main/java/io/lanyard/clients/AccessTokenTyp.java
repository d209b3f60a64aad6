package io.lanyard.clients;

import io.micronaut.core.annotation.Nullable;

/**
 * The {@code typ} header of a client's access tokens. RFC 9068's {@code at+jwt} keeps an access token from
 * passing for any other kind of JWT, but some verifiers refuse it by default (Nimbus's
 * {@code DefaultJWTProcessor}, Spring Security's {@code NimbusJwtDecoder}: README "Verifying Lanyard's tokens
 * in your service"), so a client may ask for no {@code typ} at all. Never {@code JWT}: that is the id_token's,
 * and every kind of token Lanyard signs is told apart by its {@code typ}.
 */
public enum AccessTokenTyp {
    AT_JWT("at+jwt"),
    NONE("none");

    private final String value;

    AccessTokenTyp(String value) {
        this.value = value;
    }

    /** As the CLI, the declarative file and the database spell it. */
    public String value() {
        return value;
    }

    /** The setting spelt {@code value}, exactly; null for anything else. */
    public static @Nullable AccessTokenTyp of(@Nullable String value) {
        for (AccessTokenTyp typ : values()) {
            if (typ.value.equals(value)) {
                return typ;
            }
        }
        return null;
    }

    /** Why {@code value} is no setting, for a refusal that names the field or option before it. */
    public static String refusal(String value) {
        String choices = "must be at+jwt (RFC 9068, the default) or none (no typ header)";
        return "'" + value + "' " + choices + ("JWT".equalsIgnoreCase(value)
                ? "; JWT is the typ of id_tokens, which an access token must never pass for" : "");
    }
}
